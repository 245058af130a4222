"""The coaching rubric: criteria, their targets per language, tolerances and weights.

A rubric is a TOML file (see ``default_rubric.toml``, which documents every key
and the sources of its targets). A centre's file either stands alone or starts
with ``extends = "default"`` and changes only what it names. Every mistake is a
:class:`ConfigError` that names the key and what is allowed there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from coaching.errors import ConfigError
from coaching.scoring.courtesy import ELEMENT_WINDOWS
from coaching.scoring.measures import CRITERION_MEASURES
from coaching.serial import Serializable

DEFAULT_LANGUAGE_KEY = "default"
# Every language Whisper can report for a call (faster-whisper's language codes).
_WHISPER_CODES = (
    "af am ar as az ba be bg bn bo br bs ca cs cy da de el en es et eu fa fi fo fr gl gu ha "
    "haw he hi hr ht hu hy id is it ja jw ka kk km kn ko la lb ln lo lt lv mg mi mk ml mn mr "
    "ms mt my ne nl nn no oc pa pl ps pt ro ru sa sd si sk sl sn so sq sr su sv sw ta te tg th "
    "tk tl tr tt uk ur uz vi yi yo zh yue"
)
WHISPER_LANGUAGES = frozenset(_WHISPER_CODES.split())
TOP_KEYS = {"name", "extends", "verdicts", "criteria"}
CRITERION_KEYS = {"label", "weight", "metric", "tolerance", "targets"}
COURTESY_KEYS = {"phrases", "opening_utterances", "closing_utterances"}
TARGET_KEYS = {"range", "metric", "tolerance"}


@dataclass(frozen=True)
class Target(Serializable):
    """Where a measure should be: ``low``..``high`` (None = open), and how fast the score falls."""

    metric: str
    low: float | None
    high: float | None
    tolerance: float

    def distance(self, value: float) -> float:
        """How far the value lies outside the range (0 inside)."""
        below = self.low - value if self.low is not None else 0.0
        above = value - self.high if self.high is not None else 0.0
        return max(below, above, 0.0)

    def direction(self, value: float) -> str:
        """ "low", "high" or "in": where ``value`` lies against the target range."""
        if self.low is not None and value < self.low:
            return "low"
        if self.high is not None and value > self.high:
            return "high"
        return "in"


@dataclass(frozen=True)
class Criterion(Serializable):
    id: str
    labels: dict[str, str]
    weight: float
    targets: dict[str, Target]
    phrases: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    opening_utterances: int = 3
    closing_utterances: int = 3

    def target_for(self, language: str) -> Target | None:
        """The target for ``language``, else the default one (None when neither is set)."""
        return self.targets.get(language) or self.targets.get(DEFAULT_LANGUAGE_KEY)

    def phrases_for(self, language: str) -> dict[str, tuple[str, ...]]:
        return self.phrases.get(language) or self.phrases.get(DEFAULT_LANGUAGE_KEY) or {}

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels.get("en") or self.id


@dataclass(frozen=True)
class Rubric(Serializable):
    name: str
    good_from: float
    watch_from: float
    criteria: tuple[Criterion, ...]

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)


def load_rubric(path: str | Path | None = None) -> Rubric:
    """The rubric in ``path``, or the default shipped with the package when None."""
    if path is None:
        return _default_rubric()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(
            f"rubric file {path} does not exist; give the path of a TOML file"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"rubric {path} is not valid TOML: {error}") from error
    if data.get("extends") == "default":
        data = _merged(_default_data(), data)
    elif "extends" in data:
        raise ConfigError(f'rubric {path}: extends = {data["extends"]!r}; allowed: "default"')
    return parse_rubric(data, source=str(path))


@lru_cache(maxsize=1)
def _default_data() -> dict[str, Any]:
    text = resources.files("coaching.scoring").joinpath("default_rubric.toml").read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def _default_rubric() -> Rubric:
    return parse_rubric(_default_data(), source="default rubric")


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merged(base[key], value)
        else:
            merged[key] = value
    return merged


def parse_rubric(data: dict[str, Any], *, source: str = "rubric") -> Rubric:
    """Validate parsed TOML data and build the :class:`Rubric`."""
    _only_keys(data, TOP_KEYS, "", source)
    verdicts = data.get("verdicts", {})
    _only_keys(verdicts, {"good", "watch"}, "verdicts", source)
    good = _number(verdicts.get("good", 80), "verdicts.good", source, "a score 0-100")
    watch = _number(verdicts.get("watch", 50), "verdicts.watch", source, "a score 0-100")
    if not 0 <= watch <= good <= 100:
        raise ConfigError(f"{source}: verdicts need 0 <= watch <= good <= 100, got {watch}/{good}")
    criteria = data.get("criteria")
    if not isinstance(criteria, dict) or not criteria:
        raise ConfigError(f"{source}: [criteria] is missing; add at least one [criteria.<id>]")
    return Rubric(
        name=str(data.get("name", Path(source).stem)),
        good_from=good,
        watch_from=watch,
        criteria=tuple(_criterion(cid, table, source) for cid, table in criteria.items()),
    )


def _criterion(criterion_id: str, table: Any, source: str) -> Criterion:
    where = f"criteria.{criterion_id}"
    if criterion_id not in CRITERION_MEASURES:
        allowed = ", ".join(sorted(CRITERION_MEASURES))
        raise ConfigError(f"{source}: {where}: unknown criterion; allowed: {allowed}")
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: {where} must be a table")
    courtesy = criterion_id == "courtesy"
    _only_keys(table, CRITERION_KEYS | (COURTESY_KEYS if courtesy else set()), where, source)
    if "weight" not in table:
        raise ConfigError(
            f"{source}: {where}.weight is missing; give a number >= 0 "
            "(its share of the overall score; 0 shows it without counting it)"
        )
    weight = _number(table["weight"], f"{where}.weight", source, "a number >= 0")
    if weight < 0:
        raise ConfigError(f"{source}: {where}.weight is {weight}; allowed: a number >= 0")
    targets = table.get("targets")
    if not isinstance(targets, dict) or not targets:
        raise ConfigError(
            f"{source}: {where}.targets is missing; add {where}.targets.<language> "
            f"(a Whisper language code or '{DEFAULT_LANGUAGE_KEY}')"
        )
    defaults = {
        "metric": table.get("metric", CRITERION_MEASURES[criterion_id][0]),
        "tolerance": table.get("tolerance"),
    }
    return Criterion(
        id=criterion_id,
        labels=_labels(table.get("label", criterion_id), f"{where}.label", source),
        weight=weight,
        targets={
            _language(lang, f"{where}.targets", source): _target(
                spec, defaults, criterion_id, f"{where}.targets.{lang}", source
            )
            for lang, spec in targets.items()
        },
        phrases=_phrases(table.get("phrases", {}), f"{where}.phrases", source),
        opening_utterances=_count(table.get("opening_utterances", 3), where, source),
        closing_utterances=_count(table.get("closing_utterances", 3), where, source),
    )


def _target(
    spec: Any, defaults: dict[str, Any], criterion_id: str, where: str, source: str
) -> Target:
    if not isinstance(spec, dict):
        raise ConfigError(f"{source}: {where} must be a table like {{ range = [low, high] }}")
    _only_keys(spec, TARGET_KEYS, where, source)
    metric = spec.get("metric", defaults["metric"])
    if metric not in CRITERION_MEASURES[criterion_id]:
        allowed = ", ".join(CRITERION_MEASURES[criterion_id])
        raise ConfigError(f"{source}: {where}.metric = {metric!r}; allowed: {allowed}")
    bounds = spec.get("range")
    if not (isinstance(bounds, list) and len(bounds) == 2):
        raise ConfigError(
            f"{source}: {where}.range must be [low, high] (two numbers; inf or -inf for open)"
        )
    low = _number(bounds[0], f"{where}.range", source, "two numbers [low, high]")
    high = _number(bounds[1], f"{where}.range", source, "two numbers [low, high]")
    if low > high or low == math.inf or high == -math.inf:
        raise ConfigError(f"{source}: {where}.range = [{low}, {high}]; allowed: low <= high")
    tolerance = spec.get("tolerance", defaults["tolerance"])
    if tolerance is None:
        raise ConfigError(f"{source}: {where}.tolerance is missing; give a number > 0")
    tolerance = _number(tolerance, f"{where}.tolerance", source, "a number > 0")
    if not 0 < tolerance < math.inf:
        raise ConfigError(f"{source}: {where}.tolerance = {tolerance}; allowed: a number > 0")
    return Target(
        metric=metric,
        low=None if low == -math.inf else low,
        high=None if high == math.inf else high,
        tolerance=tolerance,
    )


def _language(code: str, where: str, source: str) -> str:
    if code != DEFAULT_LANGUAGE_KEY and code not in WHISPER_LANGUAGES:
        raise ConfigError(
            f"{source}: {where}.{code}: unknown language; allowed: '{DEFAULT_LANGUAGE_KEY}' "
            "or a Whisper language code such as en, vi, ru, zh"
        )
    return code


def _labels(value: Any, where: str, source: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {_language(lang, where, source): text for lang, text in value.items()}
    raise ConfigError(f'{source}: {where} must be a string or {{ en = "...", vi = "..." }}')


def _phrases(value: Any, where: str, source: str) -> dict[str, dict[str, tuple[str, ...]]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: {where} must be a table of languages")
    phrases = {}
    for lang, elements in value.items():
        _language(lang, where, source)
        if not isinstance(elements, dict):
            raise ConfigError(f"{source}: {where}.{lang} must be a table of phrase lists")
        _only_keys(elements, set(ELEMENT_WINDOWS), f"{where}.{lang}", source)
        for element, items in elements.items():
            if not (isinstance(items, list) and items and all(isinstance(p, str) for p in items)):
                raise ConfigError(
                    f"{source}: {where}.{lang}.{element} must be a non-empty list of strings"
                )
        phrases[lang] = {element: tuple(items) for element, items in elements.items()}
    return phrases


def _count(value: Any, where: str, source: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{source}: {where}: utterance counts must be whole numbers >= 1")
    return value


def _number(value: Any, where: str, source: str, allowed: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ConfigError(f"{source}: {where} = {value!r}; allowed: {allowed}")
    return float(value)


def _only_keys(table: dict[str, Any], allowed: set[str], where: str, source: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        prefix = f"{where}." if where else ""
        allowed_text = ", ".join(sorted(allowed))
        raise ConfigError(
            f"{source}: unknown key {prefix}{unknown[0]}; allowed here: {allowed_text}"
        )
