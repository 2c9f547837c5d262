"""The 17 Sustainable Development Goals and the ids of their 169 targets (Agenda 2030).

Targets with a number (``12.7``) are outcome targets; targets with a letter (``12.a``)
are means of implementation. Goal 17 has only numbered targets (17.1-17.19).
"""

from __future__ import annotations

from types import MappingProxyType

# goal number -> (German short title, English short title)
SDG_GOALS: MappingProxyType[int, tuple[str, str]] = MappingProxyType(
    {
        1: ("Keine Armut", "No Poverty"),
        2: ("Kein Hunger", "Zero Hunger"),
        3: ("Gesundheit und Wohlergehen", "Good Health and Well-being"),
        4: ("Hochwertige Bildung", "Quality Education"),
        5: ("Geschlechtergleichheit", "Gender Equality"),
        6: ("Sauberes Wasser und Sanitäreinrichtungen", "Clean Water and Sanitation"),
        7: ("Bezahlbare und saubere Energie", "Affordable and Clean Energy"),
        8: ("Menschenwürdige Arbeit und Wirtschaftswachstum", "Decent Work and Economic Growth"),
        9: ("Industrie, Innovation und Infrastruktur", "Industry, Innovation and Infrastructure"),
        10: ("Weniger Ungleichheiten", "Reduced Inequalities"),
        11: ("Nachhaltige Städte und Gemeinden", "Sustainable Cities and Communities"),
        12: ("Nachhaltige/r Konsum und Produktion", "Responsible Consumption and Production"),
        13: ("Maßnahmen zum Klimaschutz", "Climate Action"),
        14: ("Leben unter Wasser", "Life Below Water"),
        15: ("Leben an Land", "Life on Land"),
        16: (
            "Frieden, Gerechtigkeit und starke Institutionen",
            "Peace, Justice and Strong Institutions",
        ),
        17: ("Partnerschaften zur Erreichung der Ziele", "Partnerships for the Goals"),
    }
)

# Every target id of the Agenda 2030, in official order.
SDG_TARGETS: tuple[str, ...] = (
    "1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b",
    "2.1", "2.2", "2.3", "2.4", "2.5", "2.a", "2.b", "2.c",
    "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.a", "3.b", "3.c", "3.d",
    "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.a", "4.b", "4.c",
    "5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.a", "5.b", "5.c",
    "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.a", "6.b",
    "7.1", "7.2", "7.3", "7.a", "7.b",
    "8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.7", "8.8", "8.9", "8.10", "8.a", "8.b",
    "9.1", "9.2", "9.3", "9.4", "9.5", "9.a", "9.b", "9.c",
    "10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7", "10.a", "10.b", "10.c",
    "11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7", "11.a", "11.b", "11.c",
    "12.1", "12.2", "12.3", "12.4", "12.5", "12.6", "12.7", "12.8", "12.a", "12.b", "12.c",
    "13.1", "13.2", "13.3", "13.a", "13.b",
    "14.1", "14.2", "14.3", "14.4", "14.5", "14.6", "14.7", "14.a", "14.b", "14.c",
    "15.1", "15.2", "15.3", "15.4", "15.5", "15.6", "15.7", "15.8", "15.9", "15.a", "15.b", "15.c",
    "16.1", "16.2", "16.3", "16.4", "16.5", "16.6", "16.7", "16.8", "16.9", "16.10", "16.a", "16.b",
    "17.1", "17.2", "17.3", "17.4", "17.5", "17.6", "17.7", "17.8", "17.9", "17.10",
    "17.11", "17.12", "17.13", "17.14", "17.15", "17.16", "17.17", "17.18", "17.19",
)  # fmt: skip

_TARGET_SET = frozenset(SDG_TARGETS)


def is_sdg_target(target_id: str) -> bool:
    """True if ``target_id`` (like ``"12.7"`` or ``"11.b"``) is one of the 169 targets."""
    return target_id in _TARGET_SET


def targets_of_goal(goal: int) -> tuple[str, ...]:
    """The target ids of one goal, in official order."""
    prefix = f"{goal}."
    return tuple(t for t in SDG_TARGETS if t.startswith(prefix))


def describe_unknown_target(target_id: str) -> str:
    """An error message for a target id that does not exist, naming what does."""
    goal_part = target_id.split(".", 1)[0]
    if goal_part.isdigit() and int(goal_part) in SDG_GOALS:
        known = targets_of_goal(int(goal_part))
        return (
            f"'{target_id}' is not an SDG target; goal {goal_part} has the targets "
            f"{', '.join(known)}"
        )
    return f"'{target_id}' is not an SDG target; expected an id like '12.7' or '11.b' of goals 1-17"
