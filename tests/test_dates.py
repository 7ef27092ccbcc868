from game.dates import pretty_date


def test_pretty_date():
    assert pretty_date("1923-03-05") == "5 March 1923"
    assert pretty_date("1923-05") == "May 1923"
    assert pretty_date("1923") == "1923"
    assert pretty_date("1923-13-40") == "1923-13-40"
