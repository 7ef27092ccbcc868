"""Story analysis: random playtests, exhaustive and goal-directed search, interval bounds, statistics.

Every tool here plays through the engine's ``available``/``step`` (or reads the loaded
``Story`` values), so what it reports is what a player would meet. Results are frozen
attrs values; all console output is in ``report``.
"""
