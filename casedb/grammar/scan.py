"""Compiling grammar rules for fast scanning of long texts.

Python's regex engine tries a pattern at every position of the text. A rule that begins with
a lookbehind or an optional part (``(?<![0-9])…``, ``(?:境外输入)?病例…``) runs its whole
machinery at each position; put first, a lookahead that only tests one character against
the characters a match can start with rejects most positions at once.
:func:`compile_rule` adds that lookahead; the matches are the same, found 1.5–3× faster.

Compiling the rules is most of the parser's import: :func:`remember_compiled_rules` keeps them in a file for the
next process.
"""
from __future__ import annotations

import array
import atexit
import functools
import marshal
import os
import re
import sys
import zlib
from re import _compiler, _parser
from re import _constants as sre

import _sre


#: The character classes :func:`remember_character_classes` keeps (the parser's rules hold 592 distinct ones).
REMEMBERED_CLASSES = 4096


def remember_character_classes() -> None:
    """Make the regex compiler work out each character class once per process.

    The grammar's hundreds of rules repeat a few classes (``[一-龥]`` 50 times, ``[^，,。；;\\n]`` 76 times), and
    the compiler turns each into its bitmap anew, filling a range character by character (20,902 steps for
    ``[一-龥]``): 2,075 classes, a third of the parser's import. A class of a case-sensitive rule is now
    optimised once (``re._compiler._optimize_charset`` behind a dict, so every compiled rule is the same,
    tests/test_scan_less.py); other calls, and a Python without that function, are left as they were. It stays
    installed for the process, for every regex compiled in it: the dict holds at most
    :data:`REMEMBERED_CLASSES` classes, so a program compiling endless new rules does not grow it without end.
    """
    optimize = getattr(_compiler, "_optimize_charset", None)
    if optimize is None or getattr(optimize, "remembers", False):
        return
    optimized: dict[tuple, tuple] = {}

    def optimize_once(charset, iscased=None, fixup=None, fixes=None):
        if iscased is not None or fixup is not None or fixes is not None:
            return optimize(charset, iscased, fixup, fixes)
        key = tuple(charset)
        found = optimized.get(key)
        if found is None:
            found = optimize(charset)
            if len(optimized) < REMEMBERED_CLASSES:
                optimized[key] = found
        return found

    optimize_once.remembers = True
    optimize_once.remembered = optimized
    optimize_once.original = optimize
    _compiler._optimize_charset = optimize_once


#: The environment variable naming the folder of the compiled-rule file (:func:`remember_compiled_rules`); empty
#: or ``off``: no file.
RULE_CACHE_VARIABLE = "CASEDB_CACHE_DIR"
#: The rules and facts :func:`remember_compiled_rules` records at most in a process (the parser has about 390).
REMEMBERED_RULES = 4096


def remember_compiled_rules() -> None:
    """Keep the compiled rules in a file, as Python keeps compiled modules in ``.pyc`` files.

    Compiling the grammar's rules is three quarters of the parser's import (parsing each pattern, turning it into
    the engine's code), paid by every ``casedb extract``, benchmark run and parse worker. ``re._compiler.compile``
    now keeps, per pattern and flags, what it hands the engine (``_sre.compile``'s arguments: flags, code, groups,
    group names) and makes the ``Pattern`` straight from them when the file has them; so do the facts this module
    reads from parsed patterns (:func:`compile_rule`'s leads, :func:`first_chars`, :func:`needed_chars`). The
    patterns are equal to ``re.compile``'s (tests/test_rule_cache.py).

    The file (:func:`rule_file_path`) is written by :func:`save_compiled_rules` at the end of the parser's import,
    not only at exit: it is there before the process starts its workers (a spawned one finds it) and a process
    killed later has written it. From then on only casedb's own rules are recorded (those it compiles on first use,
    from its data: the traditional characters, the division names; not other libraries' rules), and written at
    exit when one was new. It is written only when a rule was compiled anew, with only the rules the process used
    (a changed rule drops out), to a temporary file renamed over it (parallel workers and a killed process never
    leave a partial file). It serves only the interpreter and the version of this module that wrote it; any
    other file, an unreadable one, an unwritable folder, or a Python whose compiler differs: rules are compiled
    as before. It is marshal data (reading it builds values only, never runs code).

    A rule of casedb's compiled anew has its optional groups compiled as alternations (:func:`_optional_as_branch`)
    and the characters its matches start with given to the engine's search (:func:`_with_first_chars`): the same
    matches found faster; so it is with the file turned off too (:data:`RULE_CACHE_VARIABLE`): then the rules are
    compiled, not kept.
    """
    if getattr(_compiler.compile, "remembers", False):
        return
    global _rule_file
    key = _rule_file_key()
    if key is None:
        return
    path = rule_file_path()
    _rule_file = _RuleFile(path, key, _compiler.compile)
    _compiler.compile = _rule_file


def save_compiled_rules() -> None:
    """Write the file of :func:`remember_compiled_rules` if this process compiled a rule it lacked; from now on
    the process records only casedb's own rules, written at exit if one was new."""
    if _rule_file is not None:
        _rule_file.save()


def compile_plainly(pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """``re._compiler.compile`` as Python has it: the rule compiled anew, not taken from the rule file."""
    return (_compiler.compile if _rule_file is None else _rule_file.compile_plainly)(pattern, flags)


def compile_anew(pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """The ``Pattern`` :func:`remember_compiled_rules` makes of a casedb rule it has not got: ``re.compile``'s with
    the optional groups as alternations (:func:`_optional_as_branch`) and the characters its matches start with
    scanned for (:func:`_with_first_chars`)."""
    return _pattern(pattern, _compile_arguments(pattern, flags, optional_as_branch=True, first_chars=True))


def rule_file_path() -> str | None:
    """The compiled-rule file: in the folder :data:`RULE_CACHE_VARIABLE` names, else in ``casedb`` of the user's
    cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``); None when turned off or there is no home folder."""
    folder = os.environ.get(RULE_CACHE_VARIABLE)
    if folder in ("", "off"):
        return None
    if folder is None:
        cache = os.environ.get("XDG_CACHE_HOME")
        if not cache or not os.path.isabs(cache):
            cache = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(cache):                  # no home folder to expand ~ to
            return None
        folder = os.path.join(cache, "casedb")
    name = rule_file_name()
    return os.path.join(folder, name) if name else None


def rule_file_name() -> str | None:
    """The compiled-rule file's name, one per :func:`_rule_file_key`: per interpreter build and version of this
    module, so that two builds of one Python (Debian's and pyenv's) or two versions of casedb (a checkout
    benchmarked against an older one) keep a file each rather than replace each other's on every start; None for
    a Python that keeps no compiled files."""
    tag = sys.implementation.cache_tag
    key = _rule_file_key()
    return f"compiled-rules.{tag}-{zlib.crc32(repr(key).encode()):08x}.marshal" if tag and key else None


def _rule_file_key() -> tuple | None:
    """What a rule file must have been written by: this interpreter, its regex engine, this module's source (the
    facts it keeps come from here); None when there is no such engine or source."""
    try:
        with open(__file__, "rb") as source:
            module = zlib.crc32(source.read())
        engine = (_sre.MAGIC, _sre.CODESIZE)
    except (OSError, AttributeError):
        return None
    if array.array("I").itemsize != _sre.CODESIZE:
        return None
    return 1, sys.version, sys.implementation.cache_tag, engine, module


def _compile_arguments(pattern: str | bytes, flags: int, optional_as_branch: bool = False,
                       first_chars: bool = False) -> tuple:
    """The arguments ``re._compiler.compile(pattern, flags)`` hands ``_sre.compile`` after the pattern (CPython
    3.11's steps; :meth:`_RuleFile.compiles_alike` checks them on this Python); with ``optional_as_branch``, the
    optional groups as alternations (:func:`_optional_as_branch`); with ``first_chars``, the characters the
    matches start with scanned for (:func:`_with_first_chars`)."""
    parsed = _parser.parse(pattern, flags)
    if optional_as_branch:
        _optional_as_branch(parsed)
    code = _compiler._code(parsed, flags)
    if first_chars:
        code = _with_first_chars(code, parsed, flags | parsed.state.flags)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


#: A class holding a range wider than this (``[一-龥]``) is not scanned for (:func:`_with_first_chars`): nearly every
#: character of a Chinese text is in it, and working out its bitmap is a long step of the import.
WIDEST_SCANNED_RANGE = 256


def _with_first_chars(code: list, parsed, flags: int) -> list:
    """``code`` (of ``parsed``, compiled with ``flags``) whose info block names the characters every match starts
    with, for the engine's search to skip to them: when the compiler found none (it looks only at a leading literal,
    class or alternation of literals, not past a lookaround or an optional group) and :func:`_first_chars_of` knows
    them. Only for a rule whose every match is at least one character long (a search scanning for them never tries
    a position it would have matched empty at). The engine scans for one character, as for a literal prefix of
    one, and tries the whole rule there; for a class, as for a leading class."""
    _, skip, info_flags, shortest, longest = code[:5]
    if code[0] != sre.INFO or info_flags or shortest == 0 or flags & (re.IGNORECASE | re.LOCALE):
        return code
    first = _first_chars_of(parsed)
    if first is None:
        return code
    (op, arg), = _parser.parse(f"[{first}]", flags)
    if op is sre.LITERAL:
        info = [sre.INFO, 0, sre.SRE_INFO_PREFIX, shortest, longest, 1, 0, arg, 0]   # prefix of 1, none skipped
    elif any(member is sre.RANGE and span[1] - span[0] > WIDEST_SCANNED_RANGE for member, span in arg):
        return code
    else:
        info = [sre.INFO, 0, sre.SRE_INFO_CHARSET, shortest, longest]
        _compiler._compile_charset(_compiler._optimize_charset(arg)[0], flags, info)
    info[1] = len(info) - 1
    return info + code[skip + 1:]


def _optional_as_branch(items) -> None:
    """Turn each greedy optional group ``(?:X)?`` of parsed ``items`` (at any depth) into the alternation ``(?:X|)``.

    Both match the same texts in the same order (``X`` first, then nothing; the groups in ``X`` set or unset
    alike), but the engine runs ``?`` of a group through its repeat machinery, about 230 instructions more at
    each try than a branch. A ``?`` of one character (compiled to the engine's fast single-item repeat), a lazy
    ``??`` and a possessive ``?+`` are left as they are."""
    items = items.data                                 # (its list: a SubPattern's own indexing is slow)
    for index, (op, arg) in enumerate(items):
        if op is sre.MAX_REPEAT or op is sre.MIN_REPEAT or op is sre.POSSESSIVE_REPEAT:
            low, high, body = arg
            _optional_as_branch(body)
            if op is sre.MAX_REPEAT and low == 0 and high == 1 and not _compiler._simple(body):
                items[index] = (sre.BRANCH, (None, [body, _parser.SubPattern(body.state)]))
        elif op is sre.SUBPATTERN or op is sre.ASSERT or op is sre.ASSERT_NOT or op is sre.ATOMIC_GROUP:
            _optional_as_branch(arg if op is sre.ATOMIC_GROUP else arg[-1])
        elif op is sre.BRANCH:
            for alternative in arg[1]:
                _optional_as_branch(alternative)
        elif op is sre.GROUPREF_EXISTS:
            for alternative in arg[1:]:
                if alternative is not None:
                    _optional_as_branch(alternative)


def _compiled_for_casedb() -> bool:
    """Whether the regex being compiled (this is called from :meth:`_RuleFile.__call__`) is one of casedb's: the
    first caller outside the ``re`` package is casedb's code, not another library's."""
    frame = sys._getframe(2)
    while frame is not None and _package(frame) == "re":
        frame = frame.f_back
    return frame is not None and _package(frame) == "casedb"


def _package(frame) -> str:
    return frame.f_globals.get("__name__", "").partition(".")[0]


def _pattern(pattern: str | bytes, arguments: tuple) -> re.Pattern:
    """The ``Pattern`` made from :func:`_compile_arguments`, or from the rule file's entry of them
    (:func:`_kept`)."""
    flags, code, groups, groupindex, indexgroup = arguments
    if type(code) is bytes:
        code = array.array("I", code).tolist()
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


def _kept(arguments: tuple) -> tuple:
    """:func:`_compile_arguments` as the rule file keeps them: the code as bytes (unmarshalled and made a list
    faster than a marshalled list). Only for the file: a rule compiled anew is made from its list."""
    flags, code, *rest = arguments
    return flags, code if type(code) is bytes else array.array("I", code).tobytes(), *rest


class _RuleFile:
    """The compiled rules and facts of :func:`remember_compiled_rules`: those read from the file (none when the path
    is None), and those this process used, until it saves them; called as ``re._compiler.compile``."""

    remembers = True

    def __init__(self, path: str | None, key: tuple, compile_plainly):
        self.path, self.key, self.compile_plainly = path, key, compile_plainly
        self.rules, self.facts = self._read()
        self.used_rules: dict[tuple, tuple] = {}
        self.used_facts: dict[tuple, object] = {}
        self.recording = True
        self.missed = False
        self.imported = False                          # the parser's import is over (the file saved once)
        self.alike: bool | None = None

    def _read(self) -> tuple[dict, dict]:
        if self.path is None:
            return {}, {}
        try:
            with open(self.path, "rb") as file:         # (marshal.load would call readinto for each value it reads)
                key, rules, facts = marshal.loads(file.read())
            if key == self.key and type(rules) is dict and type(facts) is dict:
                return rules, facts
        except Exception:                              # missing, unreadable or not a rule file: compile anew
            pass
        return {}, {}

    def __call__(self, pattern, flags=0):
        if type(pattern) not in (str, bytes) or type(flags) is not int or flags & sre.SRE_FLAG_DEBUG:
            return self.compile_plainly(pattern, flags)
        key = (pattern, flags)
        arguments = self.rules.get(key)
        if arguments is not None:
            try:
                compiled = _pattern(pattern, arguments)
            except Exception:                          # a damaged entry
                arguments = None
        if arguments is None:
            ours = _compiled_for_casedb()
            if not self.recording or self.imported and not ours or not self.compiles_alike():
                return self.compile_plainly(pattern, flags)
            arguments = _compile_arguments(pattern, flags, optional_as_branch=ours, first_chars=ours)
            compiled = _pattern(pattern, arguments)
            self.missed = True
        self.record(self.used_rules, key, arguments)
        return compiled

    def fact(self, analysis, pattern: str, flags: int):
        """``analysis(pattern, flags)``, from the file when it is there."""
        key = (analysis.__name__, pattern, flags)
        try:
            found = self.facts[key]
        except KeyError:
            found = analysis(pattern, flags)
            self.missed = self.missed or self.recording
        self.record(self.used_facts, key, found)
        return found

    def record(self, used: dict, key: tuple, value) -> None:
        if self.recording:
            used[key] = value
            self.recording = len(self.used_rules) + len(self.used_facts) < REMEMBERED_RULES

    def compiles_alike(self) -> bool:
        """Whether :func:`_compile_arguments` makes the patterns this Python's compiler makes (checked on a
        pattern with a class, a named group and flags before the first rule is recorded), and its engine takes
        casedb's rewrites of them (a rule led by a lookbehind and an optional group, the group an alternation and
        the first characters scanned for, finds what ``re.compile``'s finds)."""
        if self.alike is None:
            probe, rewritten, text = r"(?P<word>[一-龥]+)\d|(?i:x)", r"(?<!a)(?:bc)?d", "abcd bcd ad d xd"
            try:
                made = _pattern(probe, _compile_arguments(probe, 0))
                self.alike = (made == self.compile_plainly(probe, 0) and made.groupindex == {"word": 1}
                              and _pattern(rewritten, _compile_arguments(rewritten, 0, True, True)).findall(text)
                              == self.compile_plainly(rewritten, 0).findall(text))
            except Exception:
                self.alike = False
        return self.alike

    def save(self) -> None:
        """Write the file if a rule was compiled anew since it was read or written: at the end of the parser's
        import, then at exit for the rules casedb compiled later."""
        if self.path is None:
            self.used_rules, self.used_facts = {}, {}
        elif self.missed:
            self.used_rules = {key: _kept(arguments) for key, arguments in self.used_rules.items()}
            self._write(marshal.dumps((self.key, self.used_rules, self.used_facts)))
        self.missed = False
        if not self.imported:
            self.imported = True
            if self.path is not None:
                atexit.register(self.save)

    def _write(self, data: bytes) -> None:
        import tempfile                                # only a process that compiled rules anew writes

        folder = os.path.dirname(self.path)
        temporary = None
        try:
            os.makedirs(folder, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".compiled-rules.", suffix=".tmp", dir=folder)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.path)
        except OSError:                                # a read-only or missing folder: no file
            if temporary is not None:
                try:
                    os.remove(temporary)
                except OSError:
                    pass


#: The rule file of this process, once :func:`remember_compiled_rules` has installed it.
_rule_file: _RuleFile | None = None


def _remembered(analysis):
    """``analysis(pattern, flags)`` kept in the rule file with the compiled rules (:func:`remember_compiled_rules`)."""
    @functools.wraps(analysis)
    def remembered(pattern: str, flags: int = 0):
        if _rule_file is None:
            return analysis(pattern, flags)
        return _rule_file.fact(analysis, pattern, flags)
    return remembered


#: The characters that end a sentence (a line break too), for :func:`after_last_of`.
SENTENCE_ENDS = "。;；\n"
#: … and those that end a clause (a comma too).
CLAUSE_ENDS = "，,。；;\n"


def after_last_of(marks: str, text: str, start: int, end: int) -> int:
    """Where ``text`` goes on after the last of the characters ``marks`` in ``text[start:end]``, 0 when none is
    there: the start of the sentence (:data:`SENTENCE_ENDS`) or clause that ``end`` is in (``start`` and ``end`` not
    negative). One match that runs to ``end`` and backs off to the last mark: a quarter of the instructions of an
    ``rfind`` for each mark."""
    rule = _UP_TO_THE_LAST.get(marks)
    if rule is None:
        rule = _UP_TO_THE_LAST[marks] = re.compile(f"(?s:.*)[{re.escape(marks)}]")
    m = rule.match(text, start, end)
    return m.end() if m else 0


#: The rule of :func:`after_last_of` for each set of marks it is asked about.
_UP_TO_THE_LAST: dict[str, re.Pattern] = {}


def compile_rule(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern)``, led by a lookahead of the characters its matches start with
    (when these are known: a rule that may start with any character is compiled as it is)."""
    first = _lead(pattern, flags)
    # (the pattern in a group: before a top-level alternation, the lookahead would lead its first alternative only)
    return re.compile(f"(?=[{first}])(?:{pattern})" if first else pattern, flags)


@_remembered
def _lead(pattern: str, flags: int = 0) -> str | None:
    """The characters of :func:`compile_rule`'s lookahead: None when the engine skips ahead by itself."""
    parsed = _parser.parse(pattern, flags)
    return None if _engine_skips(parsed) else _first_chars_of(parsed)


def cue_words(words) -> re.Pattern:
    """A rule matching any of ``words`` (plain text), for a cheap test of whether a text can hold a rule's
    match: an alternation of literals is one the regex engine skips through to the words' first characters
    (about ten times faster than a rule whose alternatives start with a group or a lookbehind)."""
    words = sorted(dict.fromkeys(words), key=len, reverse=True)
    if not words or not all(words):
        raise ValueError("cue words must be non-empty")
    return re.compile("|".join(re.escape(word) for word in words))


@_remembered
def first_chars(pattern: str, flags: int = 0) -> str | None:
    """The characters (as a character-class body) one of which starts every match of
    ``pattern``, or None when that is not a plain set (a match may start with ``.`` or a
    negated class, or be empty, or the pattern ignores case)."""
    return _first_chars_of(_parser.parse(pattern, flags))



def next_may_start(pattern: str, flags: int = 0) -> str:
    """A lookahead that fails at once where the next character cannot start a match of ``pattern`` (it passes at
    the text's end): put after a lazily read run, a cheap test at each of its lengths before ``pattern`` is tried
    there. Empty when :func:`first_chars` knows no such characters."""
    first = first_chars(pattern, flags)
    return f"(?![^{first}])" if first else ""

def _first_chars_of(parsed) -> str | None:
    """:func:`first_chars` of a parsed pattern."""
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _first(parsed.data)
    if found is None or found[1]:
        return None
    return "".join(dict.fromkeys(found[0]))


@_remembered
def needed_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Characters one of which every match of ``pattern`` holds, for a test against a text's characters before
    the rule is run at all; None when there is no such set of plain characters."""
    return _needed(_parser.parse(pattern, flags))


def _needed(items) -> frozenset[str] | None:
    """:func:`needed_chars` of parsed items: those of the last item that must match a plain character (a literal,
    a class of literals, alternatives or a group that each have such characters, a repeat at least once)."""
    for op, arg in reversed(list(items)):
        found = None
        if op is sre.LITERAL:
            found = frozenset(chr(arg))
        elif op is sre.IN and all(member_op is sre.LITERAL for member_op, _ in arg):
            found = frozenset(chr(code) for _, code in arg)
        elif op is sre.BRANCH:
            each = [_needed(alternative) for alternative in arg[1]]
            found = None if None in each else frozenset().union(*each)
        elif op is sre.SUBPATTERN:
            found = _needed(arg[-1])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            found = _needed(arg[2])
        if found is not None:
            return found
    return None


def _engine_skips(parsed) -> bool:
    """Whether the regex engine itself skips ahead for this pattern: it starts with a literal,
    a character class, or alternatives that each start with a literal."""
    items = list(parsed)
    while items and items[0][0] is sre.SUBPATTERN:
        items = list(items[0][1][-1])
    if not items:
        return False
    op, arg = items[0]
    if op is sre.BRANCH:
        return all(alternative and list(alternative)[0][0] is sre.LITERAL for alternative in arg[1])
    return op in (sre.LITERAL, sre.IN)


def _first(items: list) -> tuple[list[str], bool] | None:
    """(class pieces the sequence ``items`` can start with, whether it can match empty)."""
    chars: list[str] = []
    for op, arg in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue                                   # ^, \b, lookarounds: nothing consumed
        if op is sre.LITERAL:
            return chars + [_escape(arg)], False
        if op is sre.IN:
            pieces = _class(arg)
            return (chars + pieces, False) if pieces is not None else None
        if op is sre.SUBPATTERN:
            _, add_flags, del_flags, body = arg
            inner = None if add_flags or del_flags else _first(body.data)   # (?i:…) and the like
        elif op is sre.BRANCH:
            inner = _branch(arg[1])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, body = arg
            inner = _first(body.data)
            inner = inner and (inner[0], inner[1] or low == 0)
        else:
            return None                                # ., backreferences, conditionals …
        if inner is None:
            return None
        chars += inner[0]
        if not inner[1]:
            return chars, False
    return chars, True


def _branch(alternatives: list) -> tuple[list[str], bool] | None:
    chars, empty = [], False
    for alternative in alternatives:
        inner = _first(alternative.data)
        if inner is None:
            return None
        chars += inner[0]
        empty = empty or inner[1]
    return chars, empty


def _class(items: list) -> list[str] | None:
    pieces = []
    for op, arg in items:
        if op is sre.LITERAL:
            pieces.append(_escape(arg))
        elif op is sre.RANGE:
            pieces.append(f"{_escape(arg[0])}-{_escape(arg[1])}")
        elif op is sre.CATEGORY and arg in _CATEGORIES:
            pieces.append(_CATEGORIES[arg])
        else:
            return None                                # a negated class
    return pieces


_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}


def _escape(code: int) -> str:
    return re.escape(chr(code))
