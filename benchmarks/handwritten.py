"""Hand-written Python for the benchmark tables: what a careful programmer would write by hand,
one `if`/`elif` per row, values read once into locals. They take the same checked values as
the generated decision cores and return the same thing: the position of the chosen rule (first
hit), or the positions of the matching rules (collect)."""

from __future__ import annotations

from typing import Any

PI = frozenset(("bortezomib", "carfilzomib"))


def first_hit_8x8(v: dict[str, Any]) -> int | None:
    """benchmarks/tables/first_hit_8x8.mmdsl, table next_therapy, as an if/elif chain."""
    refractory = v["refractory"]
    lines = v["prior_lines"]
    car_t = v["car_t_access"]
    ecog = v["ecog"]
    age = v["age"]
    crcl = v["crcl"]
    if "daratumumab" in refractory and lines >= 4 and car_t and ecog <= 1 and age < 75 \
            and crcl >= 30.0:
        return 0
    elif "daratumumab" in refractory and lines >= 4 and car_t and ecog <= 2 and crcl >= 30.0:
        return 1
    elif PI.isdisjoint(refractory) and ecog <= 2 and v["t11_14"]:
        return 2
    elif PI.isdisjoint(refractory) and ecog <= 2 and not v["t11_14"] and v["bcl2_high"]:
        return 3
    elif "isatuximab" not in refractory and "pomalidomide" not in refractory and lines >= 2 \
            and ecog <= 2:
        return 4
    elif "isatuximab" not in refractory and "carfilzomib" not in refractory and 1 <= lines <= 3 \
            and ecog <= 2 and crcl >= 15.0:
        return 5
    elif "selinexor" not in refractory and not car_t and age >= 75:
        return 6
    else:
        return 7


def myeloma_recommendations(v: dict[str, Any]) -> list[int]:
    """tables/myeloma_post_daratumumab.mmdsl, table recommendations (collect): the rules that
    match, given the checked inputs and the derived facts."""
    tcr = v["triple_class_refractory"]
    car_t = v["car_t_indicated"]
    lines = v["prior_lines"]
    refractory = v["refractory"]
    tce = v["triple_class_exposed"]
    len_pi = v["exposed_to_len_and_pi"]
    isa_population = v["isatuximab_population"]
    len_refractory = v["lenalidomide_refractory"]
    pi_sensitive = v["pi_sensitive"]
    heavy = v["heavily_pretreated"]
    bcma = v["prior_bcma_therapy"]
    venvd_fits = len_refractory and pi_sensitive and "venetoclax" not in refractory
    matched = []
    if tcr and car_t and not bcma:
        matched += [0, 1]  # ide-cel, cilta-cel
    if tcr and car_t and bcma:
        matched += [2, 3]  # the same after belantamab mafodotin
    if venvd_fits and v["t11_14"]:
        matched.append(4)
    if tcr:
        matched.append(5)
    if lines >= 2 and len_pi and "elotuzumab" not in refractory \
            and "pomalidomide" not in refractory:
        matched.append(6)
    if not tce and "selinexor" not in refractory and "bortezomib" not in refractory:
        matched.append(7)
    if not tce and "selinexor" not in refractory and "carfilzomib" not in refractory:
        matched.append(8)
    if lines >= 2 and isa_population and "isatuximab" not in refractory \
            and "pomalidomide" not in refractory:
        matched.append(9)
    if 1 <= lines <= 3 and isa_population and "isatuximab" not in refractory \
            and "carfilzomib" not in refractory:
        matched.append(10)
    if not tcr and heavy:
        matched.append(11)
    if v["on_belantamab"] and "belantamab_mafodotin" not in refractory:
        matched.append(12)
    if not tce and "selinexor" not in refractory:
        matched.append(13)
    if tcr and not car_t and heavy and "selinexor" not in refractory:
        matched.append(14)
    if not tcr and heavy and "selinexor" not in refractory:
        matched.append(15)
    matched.append(16)  # the fallback: a clinical trial for every patient in scope
    if venvd_fits and not v["t11_14"] and v["bcl2_high"]:
        matched.append(17)
    return matched
