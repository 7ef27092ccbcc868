"""Fuzz `testament check` with hostile and careless story folders; print what broke.

Each mutant is a copy of the campaign, the example mod (with the campaign) or one of the
test fixtures, changed by one seeded mutation from one family of issue 8:

    tags         typed values PyYAML cannot construct (!!int abc, !!timestamp 2023-02-30...)
    digits       numbers of thousands of digits, or past 10**9, anywhere (titles, keys,
                 variable ranges, effects, conditions, !!int 0x...)
    expressions  deep or long conditions (130 parentheses, 1,000-term and, 1,000 nots...)
    paths        symbolic-link loops, links to nothing or to /dev/zero, 1,100 nested
                 folders, FIFOs, names of 300 characters, NUL bytes or over 255 bytes in
                 files:, a folder as a file, an unreadable folder, `check /`, `check FILE`
    goto         goto: [], goto: '', arms that are not mappings
    cache        a story over the cache threshold with a deep condition, loaded twice;
                 a listed file that does not end in .yaml, edited between two loads
    traps        loops whose way out can close (visits(), a flag, a variable)
    ranges       variable ranges near 10**308 or at the bound, with fair effects
    text         control characters, bidirectional overrides, bad UTF-8, surrogates
    generic      lines deleted, duplicated, swapped or re-indented, bytes flipped, files
                 truncated, ids swapped, YAML punctuation inserted

Every mutant runs `testament check` in a child process (forked from this one, which has
already imported the game, so a mutant costs milliseconds, not an interpreter start),
with its own stdout and stderr. A child that passes check then plays random runs of its
story: a story that passes must never raise and never strand a player.

Counted as failures: a traceback or an internal error, an exit status other than 0 or 2,
a message that names no file, a hang, a child whose peak resident memory passes 1 GB, and
a passing story whose random run raises or does not end. A hang is a child that uses
more than --timeout seconds of CPU (the kernel stops it: RLIMIT_CPU) or is still running
after six times that on the clock (it is killed: a blocking read uses no CPU). CPU time,
not the clock, is what a shared machine cannot inflate; the campaign's check takes about
two seconds of it.

    python3 benchmarks/fuzz_stories.py [--mutants 3000] [--seed 1] [--jobs 2] [--timeout 10]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Callable

from attrs import define, field

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: A child's peak resident memory above this is a failure.
MEMORY_LIMIT = 1 << 30
#: A child is stopped at this address-space size, so a runaway cannot take the machine.
ADDRESS_SPACE = 4 << 30
#: Random runs per character of a mutant that passes check, and the steps each may take.
PLAY_RUNS, PLAY_STEPS = 20, 20_000
HUGE = "9" * 5000
#: Exit statuses of a child whose story passed check but then failed to play, or whose
#: second load did not see an edit (the markers PLAY: and CACHE: say what happened).
PLAY_FAILED, CACHE_FAILED = 98, 96


# ---- mutants ------------------------------------------------------------------------------

@define
class Mutant:
    """One prepared story folder and how to check it."""

    number: int
    family: str
    base: str
    #: What was done, for the report.
    change: str
    #: The folders (story first, then mods) given to `testament check`.
    args: list[str]
    #: Where the mutant's files live (removed afterwards).
    home: Path
    #: Check twice, with this done to the files in between (cache family).
    between: Callable[[], None] | None = None


@define
class Outcome:
    mutant: Mutant
    status: int | None
    seconds: float
    max_rss: int
    #: CPU seconds the child used (user and system).
    cpu: float
    stdout: str
    stderr: str
    failures: list[str] = field(factory=list)


def bases() -> list[tuple[str, list[str]]]:
    """(name, folders relative to ROOT): the campaign, the campaign with the example mod,
    and every fixture (a mod fixture together with the story it extends)."""
    out = [("story", ["story"]), ("story+factory-gate", ["story", "examples/mods/factory-gate"])]
    for fixture in sorted((ROOT / "tests" / "fixtures").iterdir()):
        if not (fixture / "story.yaml").is_file():
            continue
        manifest = (fixture / "story.yaml").read_text(encoding="utf-8", errors="replace")
        if re.search(r"^mod:\s*true", manifest, re.M):
            out.append((fixture.name, ["tests/fixtures/features", f"tests/fixtures/{fixture.name}"]))
        else:
            out.append((fixture.name, [f"tests/fixtures/{fixture.name}"]))
    return out


def _copy(folders: list[str], home: Path) -> list[Path]:
    copies = []
    for i, folder in enumerate(folders):
        target = home / f"{i}-{Path(folder).name}"
        shutil.copytree(ROOT / folder, target, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "tests"))
        copies.append(target)
    return copies


def _story_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file())


def _lines(path: Path) -> list[str]:
    """The lines of a file, whatever an earlier mutation did to its bytes."""
    return path.read_bytes().decode("utf-8", "surrogateescape").split("\n")


def _write(path: Path, lines: list[str]) -> None:
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))


_KEY_VALUE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_-]*):(\s+)(\S.*)$")


def _replace_value(rng: random.Random, files: list[Path], value: str, keys: set[str] | None = None) -> str:
    """Put ``value`` in place of the value of a random one-line ``key: value``."""
    candidates = []
    for path in files:
        for i, line in enumerate(_lines(path)):
            m = _KEY_VALUE.match(line)
            if m and (keys is None or m.group(2) in keys):
                candidates.append((path, i))
    if not candidates:
        return _append_scene_value(rng, files, value)
    path, i = rng.choice(candidates)
    lines = _lines(path)
    m = _KEY_VALUE.match(lines[i])
    lines[i] = f"{m.group(1)}{m.group(2)}:{m.group(3)}{value}"
    _write(path, lines)
    return f"{path.name}:{i + 1} {m.group(2)}: {value[:40]}"


def _append_scene_value(rng: random.Random, files: list[Path], value: str) -> str:
    path = rng.choice(files)
    lines = _lines(path)
    lines.append(f"extra_{rng.randrange(1000)}: {value}")
    _write(path, lines)
    return f"{path.name}: appended {value[:40]}"


def _manifest(copies: list[Path]) -> Path:
    return copies[0] / "story.yaml"


def _list_file(manifest: Path, name: str) -> None:
    """Add ``name`` to the manifest's files: (creating the list if needed)."""
    text = manifest.read_text(encoding="utf-8")
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if re.search(r"^files:\s*$", text, re.M):
        text = re.sub(r"^files:\s*$", f"files:\n  - {quoted}", text, count=1, flags=re.M)
    elif re.search(r"^files:\s*\[", text, re.M):
        text = re.sub(r"^files:\s*\[", f"files: [{quoted}, ", text, count=1, flags=re.M)
    else:
        text += f"\nfiles: [{quoted}]\n"
    manifest.write_text(text, encoding="utf-8")


BAD_TAGS = ["!!int abc", "!!int", "!!int ''", "!!float abc", "!!float", "!!bool maybe", "!!bool",
            "!!timestamp garbage", "!!timestamp 2023-02-30", "!!timestamp 2023-13-01", "!!map text",
            "!!seq text", "!!null text", "!!int 0x", "!!int 0b2", "!!int 1:2:x", "!!float ._", "!!str",
            "!!binary aGk=", "!!set {a: null}", "!!python/none ''", "!custom x", "!!omap [a: 1]"]


def m_tags(rng, copies):
    return _replace_value(rng, [f for c in copies for f in _story_files(c)], rng.choice(BAD_TAGS))


def m_digits(rng, copies):
    files = [f for c in copies for f in _story_files(c)]
    number = rng.choice([HUGE, "-" + HUGE, "1" + "0" * 4300, "1_000_000_001", "10000000000", "1e400", "-1.5e999",
                         "!!int 0x" + "f" * 5000, "!!int 0b" + "1" * 200, "!!float 1" + "0" * 400, "!!float .inf",
                         "!!float .nan", "1000000000", "-1000000000", "0" * 300 + "7"])
    where = rng.choice(["any", "title", "min", "max", "start", "effect", "condition", "key", "born"])
    if where == "condition":
        return _replace_value(rng, files, f"'army > {number.lstrip('!int fola')}'", {"if"})
    if where == "effect":
        return _replace_value(rng, files, rng.choice([number, f"'+{HUGE}'", f"'={HUGE}'", f"'%+{HUGE}'"]),
                              {"apparatus", "army", "cadres", "old_guard", "workers", "patience", "a", "b", "c", "d"})
    if where == "key":
        path = rng.choice(files)
        lines = _lines(path)
        lines.append(f"? {number}\n: x")
        _write(path, lines)
        return f"{path.name}: a key {number[:20]}"
    if where == "any":
        return _replace_value(rng, files, number)
    return _replace_value(rng, files, number, {where})


def _deep_condition(rng) -> str:
    kind = rng.choice(["parens", "parens", "and", "or", "not", "minus", "sum", "long", "string", "mixed"])
    n = rng.choice([31, 33, 64, 130, 1000, 5000])
    if kind == "parens":
        return "(" * n + "army > 1" + ")" * n
    if kind == "and":
        return " and ".join(["army > 1"] * n)
    if kind == "or":
        return " or ".join(["not army > 1"] * n)
    if kind == "not":
        return "not " * n + "army > 1"
    if kind == "minus":
        return "army > " + "- " * n + "1"
    if kind == "sum":
        return " + ".join(["army"] * n) + " > 1"
    if kind == "long":
        return "army > 1" + " " * (n * 10)
    if kind == "string":
        return 'character == "' + "x" * (n * 10) + '"'
    return " and ".join("(" * 10 + "not army > 1" + ")" * 10 for _ in range(n // 10 + 1))


def m_expressions(rng, copies):
    files = [f for c in copies for f in _story_files(c)]
    cond = _deep_condition(rng)
    return _replace_value(rng, files, "'" + cond + "'", {"if"})


def m_paths(rng, copies):
    story = copies[0]
    manifest = _manifest(copies)
    kind = rng.choice(["loop-listed", "dangling-listed", "zero-listed", "nested-unlisted", "nested-listed",
                       "fifo-listed", "fifo-unlisted", "fifo-manifest", "long-name", "unicode-long-name",
                       "nul-name", "surrogate-name", "folder-listed", "manifest-loop", "manifest-folder",
                       "unreadable", "root", "file-arg", "devnull-arg", "dotdot", "many-files", "absolute"])
    if kind == "loop-listed":
        (story / "loop.yaml").symlink_to(story / "loop.yaml")
        _list_file(manifest, "loop.yaml")
    elif kind == "dangling-listed":
        (story / "gone.yaml").symlink_to(story / "nothing-here.yaml")
        _list_file(manifest, "gone.yaml")
    elif kind == "zero-listed":
        (story / "zero.yaml").symlink_to("/dev/zero")
        _list_file(manifest, "zero.yaml")
    elif kind in ("nested-unlisted", "nested-listed"):
        name = nest(story, rng.choice([1100, 1100, 2100]))
        if kind == "nested-listed":
            _list_file(manifest, name)
        else:
            _list_file(manifest, "missing-file.yaml")  # makes the loader look around for a did-you-mean
    elif kind == "fifo-listed":
        os.mkfifo(story / "pipe.yaml")
        _list_file(manifest, "pipe.yaml")
    elif kind == "fifo-unlisted":
        os.mkfifo(story / "pipe.yaml")
    elif kind == "fifo-manifest":
        manifest.unlink()
        os.mkfifo(manifest)
    elif kind == "long-name":
        _list_file(manifest, "x" * 300 + ".yaml")
    elif kind == "unicode-long-name":
        _list_file(manifest, "\u0416" * 200 + ".yaml")
    elif kind == "nul-name":
        _list_file(manifest, "a\\0b.yaml")
    elif kind == "surrogate-name":
        _list_file(manifest, "\\ud800.yaml")
    elif kind == "folder-listed":
        (story / "sub").mkdir(exist_ok=True)
        _list_file(manifest, "sub")
    elif kind == "manifest-loop":
        manifest.unlink()
        manifest.symlink_to(manifest)
    elif kind == "manifest-folder":
        manifest.unlink()
        manifest.mkdir()
    elif kind == "unreadable":
        target = rng.choice([story, *[p.parent for p in _story_files(story)]])
        target.chmod(0)
    elif kind == "root":
        return kind, ["/"]
    elif kind == "file-arg":
        return kind, [str(rng.choice(_story_files(story)))]
    elif kind == "devnull-arg":
        return kind, ["/dev/null"]
    elif kind == "dotdot":
        _list_file(manifest, "../" * rng.randint(1, 40) + "etc/passwd")
    elif kind == "many-files":
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text + "\nfiles: [" + ", ".join(f"f{i}.yaml" for i in range(1200)) + "]\n")
    elif kind == "absolute":
        _list_file(manifest, "/etc/hostname")
    return kind, None


def nest(folder: Path, depth: int, content: bytes = b"scenes: []\n") -> str:
    """``depth`` folders ``d/d/...`` under ``folder`` with ``s.yaml`` (holding ``content``)
    at the bottom, made one level at a time, relative to the last (the whole path may be
    longer than the OS lets one call name); the relative path of ``s.yaml``."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("s.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, content)
        os.close(out)
    finally:
        os.close(fd)
    return "d/" * depth + "s.yaml"


def m_goto(rng, copies):
    files = [f for c in copies for f in _story_files(c)]
    value = rng.choice(["[]", "''", "[5]", "[null]", "[[a]]", "{to: x}", "[{to: ''}]", "[{if: army > 1}]",
                        "[s, t]", "[{to: x, if: army > 1}, 5]", "[{to: x}, gift]", "null", "7", "true"])
    return _replace_value(rng, files, value, {"goto", "to", "fallback", "start"})


def m_cache(rng, copies):
    story = copies[0]
    files = _story_files(story)
    kind = rng.choice(["big-deep", "txt-edit"])
    if kind == "big-deep":
        path = rng.choice(files)
        deep = "not " * 24 + "(((army > 1)))" + " and army > 1" * 40
        note = _replace_value(rng, files, f"'{deep}'", {"if"})
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n" + ("# " + "padding " * 12 + "\n") * 11_000)  # over 1 MB: cached
        return f"big-deep {note}", None
    manifest = _manifest(copies)
    listing = manifest.read_text(encoding="utf-8")
    # Only what the manifest lists is the story (a glossary beside it is read by other tools).
    listed = [p for p in files if p != manifest and str(p.relative_to(story)) in listing]
    if not listed:
        return "txt-edit (nothing listed)", None
    with open(manifest, "a", encoding="utf-8") as handle:  # the story's .yaml files alone pass 1 MB too
        handle.write("\n" + ("# " + "padding " * 12 + "\n") * 11_000)
    path = rng.choice(listed)
    renamed = path.with_suffix(".txt")
    path.rename(renamed)
    rel = str(path.relative_to(story))
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(rel, str(renamed.relative_to(story))), encoding="utf-8")
    with open(renamed, "a", encoding="utf-8") as handle:
        handle.write("\n" + ("# " + "padding " * 12 + "\n") * 11_000)

    def edit() -> None:
        # Same size, same modification time: only the cache key's inode and change time
        # can tell; a padding comment becomes an unclosed list, which the second load must see.
        stat = renamed.stat()
        data = renamed.read_bytes()
        at = data.rindex(b"# padding")
        renamed.write_bytes(data[:at] + b"[ padding" + data[at + len(b"# padding"):])
        os.utime(renamed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return f"txt-edit {renamed.name}", edit


def m_traps(rng, copies):
    """A loop whose way out may close for good, spliced into the story (or gotos rewired)."""
    story = copies[0]
    files = [f for c in copies for f in _story_files(c)]
    ids = []
    for path in files:
        ids += re.findall(r"^\s*- id: ([a-z0-9][a-z0-9-]*)\s*$", path.read_text(encoding="utf-8"), re.M)
    if not ids:
        return "no scenes"
    if rng.random() < 0.3:  # rewire: a goto sent back to some scene, maybe behind a condition
        back = rng.choice(ids)
        closing = rng.choice([f"not visits({back}) >= 2", f"visits({back}) < {rng.randint(1, 3)}", "army < 50",
                              f"visits({back}) == 1", "true", f"visits({back}) >= 2"])
        return _replace_value(rng, files, rng.choice([back, f"[{{if: '{closing}', to: {back}}}, {{to: {back}}}]"]),
                              {"goto"})
    # Splice: some goto now leads into a waiting room whose door may close.
    gotos = [(path, i) for path in files for i, line in enumerate(_lines(path))
             if (m := _KEY_VALUE.match(line)) and m.group(2) == "goto" and re.fullmatch(r"[a-z0-9][a-z0-9-]*", m.group(4))]
    if not gotos:
        return "no plain goto"
    path, i = rng.choice(gotos)
    lines = _lines(path)
    m = _KEY_VALUE.match(lines[i])
    exit_to = m.group(4)
    lines[i] = f"{m.group(1)}{m.group(2)}:{m.group(3)}trap-room"
    _write(path, lines)
    door, wait_extra = rng.choice([
        ("not visits(trap-room) >= 2", ""),                       # closes after one more round
        ("visits(trap-room) < 3", ""),
        ("not trap_tired", ", set: [trap_tired]"),                # the loop sets what closes it
        ("visits(trap-room) >= 2", ""),                           # opens and stays open: safe
        ("visits(trap-room) >= 2 or trap_tired", ", set: [trap_tired]"),
    ])
    once = rng.choice(["", ", once: true"])
    room = (f"scenes:\n  - id: trap-room\n    title: A waiting room\n    text: You wait.\n    choices:\n"
            f"      - {{id: wait, text: Wait., goto: trap-room{wait_extra}{once}}}\n"
            f"      - {{id: leave, text: Leave., if: '{door}', goto: {exit_to}}}\n")
    if once:
        room += f"    fallback: {exit_to}\n"
    (story / "trap-room.yaml").write_text(room, encoding="utf-8")
    _list_file(_manifest(copies), "trap-room.yaml")
    return f"{path.name}:{i + 1} goto trap-room, door '{door}'{' (wait once)' if once else ''}"


def m_ranges(rng, copies):
    files = [_manifest(copies)]
    value = rng.choice(["1e308", "!!float 1e308", "-1e308", "10" + "0" * 307, "1000000000", "-1000000000",
                        "999999999", "!!int 0x3b9aca00", "1.5", "-0", "0"])
    return _replace_value(rng, files, value, {"min", "max", "start"})


TEXT_BITS = ["\x07", "\x1b[2J", "\x00", "\x7f", "\u202e", "\u2028", "\ufeff", "\x85", "\ufffe", "\t",
             '"\\ud800"', '"\\x1b[31m"', '"\\0"', '"\\u202e"']


def m_text(rng, copies):
    files = [f for c in copies for f in _story_files(c)]
    path = rng.choice(files)
    data = bytearray(path.read_bytes())
    kind = rng.choice(["insert", "insert", "bytes", "value"])
    if kind == "value":
        return _replace_value(rng, files, rng.choice(TEXT_BITS[-4:]))
    at = rng.randrange(len(data) + 1)
    if kind == "bytes":
        data[at:at] = bytes(rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xfe\xff"]))
    else:
        data[at:at] = rng.choice(TEXT_BITS).encode("utf-8", "surrogatepass")
    path.write_bytes(bytes(data))
    return f"{path.name}@{at} {kind}"


PUNCTUATION = [":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "*undefined", "? ", "|", ">", "!!", "%",
               "'", '"', "#", "@", "`", "<<: *a", "---\n", "...\n", "\t", "  ", "\n", "~", "null", "&a [*a]"]


def m_generic(rng, copies):
    files = [f for c in copies for f in _story_files(c)]
    done = []
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(files)
        if not path.exists():
            continue
        lines = _lines(path)
        if not lines:
            continue
        i = rng.randrange(len(lines))
        op = rng.choice(["delete", "duplicate", "swap", "indent", "dedent", "punct", "truncate", "flip",
                         "swap-ids", "blank-value", "empty-file"])
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * rng.choice([1, 2, 4]) + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "punct":
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rng.choice(PUNCTUATION) + lines[i][at:]
        elif op == "truncate":
            data = path.read_bytes()
            path.write_bytes(data[: rng.randrange(len(data) + 1)])
            done.append(f"{path.name} truncated")
            continue
        elif op == "flip":
            data = bytearray(path.read_bytes())
            if data:
                at = rng.randrange(len(data))
                data[at] ^= 1 << rng.randrange(8)
                path.write_bytes(bytes(data))
            done.append(f"{path.name} flipped")
            continue
        elif op == "swap-ids":
            ids = re.findall(r"\b(?:id|goto|to|start|fallback): ([a-z0-9][a-z0-9-]*)", "\n".join(lines))
            if len(ids) >= 2:
                a, b = rng.sample(ids, 2)
                lines[i] = lines[i].replace(a, b)
        elif op == "blank-value":
            m = _KEY_VALUE.match(lines[i])
            if m:
                blank = rng.choice(["", " ", " ~", " []", " {}", ' ""'])
                lines[i] = f"{m.group(1)}{m.group(2)}:{blank}"
        elif op == "empty-file":
            path.write_text(rng.choice(["", " \n", "# only a comment\n", "---\n", "[]\n", "null\n"]))
            done.append(f"{path.name} emptied")
            continue
        _write(path, lines)
        done.append(f"{path.name}:{i + 1} {op}")
    return ", ".join(done)


FAMILIES: dict[str, Callable] = {
    "tags": m_tags, "digits": m_digits, "expressions": m_expressions, "paths": m_paths, "goto": m_goto,
    "cache": m_cache, "traps": m_traps, "ranges": m_ranges, "text": m_text, "generic": m_generic,
}


def make_mutant(number: int, seed: int, work: Path, families: list[str] | None = None) -> Mutant:
    """Mutant ``number`` of the run seeded ``seed``: families in turn, a random base."""
    names = families or list(FAMILIES)
    family = names[number % len(names)]
    rng = random.Random(seed * 1_000_003 + number)
    choices = bases()
    # Fixtures are small and fast; the campaign is big: a quarter of the mutants use it.
    base_name, folders = rng.choice(choices[:2]) if rng.random() < 0.25 else rng.choice(choices[2:] or choices)
    home = work / f"m{number:05d}"
    home.mkdir(parents=True)
    copies = _copy(folders, home)
    result = FAMILIES[family](rng, copies)
    between = None
    args = [str(c) for c in copies]
    if isinstance(result, tuple):
        change, extra = result
        if callable(extra):
            between = extra
        elif extra is not None:
            args = extra
    else:
        change = result
    return Mutant(number, family, base_name, change, args, home, between)


# ---- running --------------------------------------------------------------------------------

def _child(mutant: Mutant, out_path: Path, err_path: Path, mutant_cpu_limit: float) -> None:
    """In the forked child: run check like the console script, then play a passing story."""
    code = 99
    try:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        resource.setrlimit(resource.RLIMIT_CPU, (int(mutant_cpu_limit), int(mutant_cpu_limit) + 5))
    except (ValueError, OSError):
        pass
    out = open(out_path, "w", encoding="utf-8")
    err = open(err_path, "w", encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    sys.stdin = io.StringIO("")
    try:
        from game.cli import main
        code = _exit_code(main, ["check", *mutant.args])
        if mutant.between is not None:
            mutant.between()
            second = _exit_code(main, ["check", *mutant.args])
            if mutant.family == "cache" and second != 2:
                err.write("CACHE: an edit to a listed file was not seen by the second load\n")
                code = CACHE_FAILED
            else:
                code = max(code, second) if code in (0, 2) else code
        if code == 0:
            code = _play(mutant.args, err)
    except BaseException:  # what the interpreter would print for an uncaught exception
        traceback.print_exc(file=err)
        code = 99
    finally:
        try:
            out.flush()
            err.flush()
        finally:
            os._exit(code if isinstance(code, int) and 0 <= code < 256 else 99)


def _exit_code(main, argv) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse
        return exc.code if isinstance(exc.code, int) else 2


def _play(folders: list[str], err) -> int:
    """Random runs of a story that passed check: 0, or PLAY_FAILED when one never ends
    (one that raises is a traceback, like any other)."""
    from game.engine.loader import read_story  # check has passed: load without checking again
    from game.engine.play import available, start, step
    story, problems = read_story(folders)
    if story is None:
        err.write("PLAY: the story passed check but does not load\n")
        return PLAY_FAILED
    rng = random.Random(7)
    for character in story.characters:
        for run in range(PLAY_RUNS):
            state = start(story, character)
            for _ in range(PLAY_STEPS):
                if state.finished:
                    break
                state = step(story, state, rng.choice(available(story, state)))
            if not state.finished:
                err.write(f"PLAY: run {run} as {character} did not end in {PLAY_STEPS} steps: "
                          f"{list(state.path)[-6:]}\n")
                return PLAY_FAILED
    return 0


def _judge(outcome: Outcome, timeout: float) -> None:
    m, text = outcome.mutant, outcome.stdout + outcome.stderr
    if outcome.status is None:
        outcome.failures.append(f"hang: still running after {6 * timeout:.0f} s on the clock (killed)")
    elif outcome.status in (-signal.SIGXCPU, -signal.SIGKILL) and outcome.cpu >= timeout:
        outcome.failures.append(f"hang: over {timeout:.0f} s of CPU (stopped)")
    elif outcome.status not in (0, 2, PLAY_FAILED, CACHE_FAILED):
        outcome.failures.append(f"exit status {outcome.status}")
    if "Traceback" in text:
        outcome.failures.append("traceback")
    if "internal error" in outcome.stderr:
        outcome.failures.append("internal error")
    if outcome.max_rss > MEMORY_LIMIT:
        outcome.failures.append(f"peak memory {outcome.max_rss / 2**20:.0f} MB")
    for marker in ("PLAY:", "CACHE:"):
        if marker in outcome.stderr:
            outcome.failures.append(outcome.stderr[outcome.stderr.index(marker):].split("\n")[0][:200])
    # Every message names a file: a line of the report starts with a path of the mutant.
    prefixes = tuple({str(m.home), *m.args, "/story.yaml"})
    summary_line = re.compile(re.escape(", ".join(m.args)) + r": (\d+ scenes, \d+ choices, \d+ endings: )?"
                              r"(no problems|\d+ error\(s\), \d+ warning\(s\)|\d+ warning\(s\))$")
    lines = [line for line in outcome.stdout.split("\n") if line and not summary_line.match(line)]
    for line in lines:
        where = re.match(r"^(.+?)(:\d+:\d+)?: ", line)
        if not line.startswith(prefixes) or not where:
            outcome.failures.append(f"message without a file: {line[:160]}")
            break
        if where.group(1) in m.args and os.path.isdir(where.group(1)):  # a story folder: say which file
            outcome.failures.append(f"message at a story folder, not a file in it: {line[:160]}")
            break


def run(mutants: int, seed: int = 1, jobs: int = 2, timeout: float = 10.0, families: list[str] | None = None,
        work: Path | None = None, progress: bool = False) -> list[Outcome]:
    """Make and check ``mutants`` mutants, ``jobs`` at a time; every outcome, judged."""
    import game.cli  # noqa: F401 - imported once here, inherited by every forked child
    own_work = work is None
    work = Path(tempfile.mkdtemp(prefix="fuzz-stories-")) if work is None else work
    home_env = os.environ.get("TESTAMENT_HOME")
    os.environ["TESTAMENT_HOME"] = str(work / "home")  # the children's compiled cache, not the user's
    outcomes: list[Outcome] = []
    running: dict[int, tuple[Mutant, float, Path, Path]] = {}
    next_number = 0
    t0 = time.monotonic()
    try:
        while next_number < mutants or running:
            while next_number < mutants and len(running) < jobs:
                mutant = make_mutant(next_number, seed, work, families)
                next_number += 1
                out_path, err_path = mutant.home / "stdout.txt", mutant.home / "stderr.txt"
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    _child(mutant, out_path, err_path, max(1, timeout))  # never returns
                running[pid] = (mutant, time.monotonic(), out_path, err_path)
            time.sleep(0.005)
            for pid in list(running):
                mutant, started, out_path, err_path = running[pid]
                done, status, usage = os.wait4(pid, os.WNOHANG)
                elapsed = time.monotonic() - started
                if done == 0 and elapsed <= 6 * timeout:
                    continue
                if done == 0:  # a hang: stop the child we started, by its own id
                    os.kill(pid, signal.SIGKILL)
                    _, status, usage = os.wait4(pid, 0)
                    code = None
                else:
                    code = os.waitstatus_to_exitcode(status)
                del running[pid]
                outcome = Outcome(mutant, code, elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime,
                                  _read(out_path), _read(err_path))
                _judge(outcome, timeout)
                outcomes.append(outcome)
                if progress and outcome.failures:
                    summary([outcome], sys.stdout, failures_only=True)
                _remove(mutant.home)
                if progress and len(outcomes) % 100 == 0:
                    bad = sum(1 for o in outcomes if o.failures)
                    print(f"  {len(outcomes):,} mutants, {bad} failing, {time.monotonic() - t0:.0f} s", flush=True)
    finally:
        for pid in running:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if home_env is None:
            os.environ.pop("TESTAMENT_HOME", None)
        else:
            os.environ["TESTAMENT_HOME"] = home_env
        if own_work:
            _remove(work)
    return outcomes


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def _remove(path: Path) -> None:
    """Remove a mutant's folder: permissions restored, and no recursion (1,100 nested folders)."""
    subprocess.run(["chmod", "-R", "u+rwx", str(path)], stderr=subprocess.DEVNULL, check=False)
    subprocess.run(["rm", "-rf", str(path)], stderr=subprocess.DEVNULL, check=False)


def summary(outcomes: list[Outcome], out=sys.stdout, failures_only: bool = False) -> int:
    """Print the figures; return the number of failing mutants."""
    fam = Counter(o.mutant.family for o in outcomes)
    failing = [o for o in outcomes if o.failures]
    if failures_only:
        _failures(failing, out)
        return len(failing)
    tracebacks = sum(1 for o in outcomes if "traceback" in o.failures or "internal error" in o.failures
                     or any(f.startswith("exit status") for f in o.failures))
    hangs = sum(1 for o in outcomes if any(f.startswith("hang") for f in o.failures))
    memory = sum(1 for o in outcomes if o.max_rss > MEMORY_LIMIT)
    unlocated = sum(1 for o in outcomes if any(f.startswith("message") for f in o.failures))
    play = sum(1 for o in outcomes if any(f.startswith(("PLAY", "CACHE")) for f in o.failures))
    passed = sum(1 for o in outcomes if o.status == 0)
    out.write(f"{len(outcomes):,} mutants ({', '.join(f'{k} {v}' for k, v in sorted(fam.items()))})\n")
    out.write(f"  passed check and played {PLAY_RUNS} random runs per character: {passed}; refused with exit 2: "
              f"{sum(1 for o in outcomes if o.status == 2)}\n")
    out.write(f"  {tracebacks} tracebacks, {hangs} hangs, {memory} processes over "
              f"{MEMORY_LIMIT >> 30} GB, {unlocated} messages without a file, {play} play or cache failures\n")
    if outcomes:
        slowest = max(outcomes, key=lambda o: o.cpu)
        biggest = max(outcomes, key=lambda o: o.max_rss)
        out.write(f"  most CPU {slowest.cpu:.1f} s ({slowest.seconds:.1f} s on the clock; #{slowest.mutant.number} "
                  f"{slowest.mutant.family} on {slowest.mutant.base}); "
                  f"peak memory {biggest.max_rss / 2**20:.0f} MB (#{biggest.mutant.number} {biggest.mutant.family})\n")
    _failures(failing[:30], out)
    return len(failing)


def _failures(failing: list[Outcome], out) -> None:
    for o in failing:
        m = o.mutant
        out.write(f"FAIL #{m.number} {m.family} on {m.base}: {m.change[:120]!r}: {'; '.join(o.failures)}\n")
        tail = (o.stderr or o.stdout).strip().split("\n")[-3:]
        for line in tail:
            out.write(f"    {line[:200]}\n")
    out.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="CPU seconds before a child counts as hung (six times as many on the clock)")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these families")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    outcomes = run(args.mutants, args.seed, args.jobs, args.timeout, args.family, progress=True)
    failing = summary(outcomes)
    print(f"{time.monotonic() - t0:.0f} s in all")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
