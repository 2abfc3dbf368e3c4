"""Practice labs declared in module.yml: practice with other trainees and a facilitator."""
from __future__ import annotations

from training.courses.content import Lab, is_slug
from training.courses.fields import bad_slug_message, read_bool, read_items, read_number, read_text
from training.courses.reading import Fields, FileReader, mapping_fields

LAB_REQUIRED = {"slug", "title", "minutes", "domain", "practice"}
LAB_OPTIONAL = {"required"}
LAB_MAX_MINUTES = 8 * 60


def read_labs(reader: FileReader, fields: Fields, domains: set[str] | None, taken: set[str]) -> list[Lab]:
    """The module's labs; `taken` collects lab slugs across the course (each must be unique there)."""
    labs = []
    for node in read_items(reader, fields, "labs"):
        lab = mapping_fields(reader, node, required=LAB_REQUIRED, optional=LAB_OPTIONAL, what="a lab")
        if lab is None:
            continue
        slug = read_text(reader, lab, "slug")
        if slug is not None and not is_slug(slug):
            reader.report(lab.get("slug"), "the lab slug " + bad_slug_message(slug))
        elif slug in taken:
            reader.report(lab.get("slug"), f"the lab slug '{slug}' is used twice in this course; each lab needs "
                                           "its own, because sessions and attendance follow it")
        elif slug is not None:
            taken.add(slug)
        domain = read_text(reader, lab, "domain")
        if domain is not None and domains is not None and domain not in domains:
            reader.report(lab.get("domain"), f"unknown training domain code '{domain}'; codes are listed in "
                                             "framework.yml")
        labs.append(Lab(slug=slug, title=read_text(reader, lab, "title"),
                        minutes=read_number(reader, lab, "minutes", whole=True, minimum=1, maximum=LAB_MAX_MINUTES),
                        domain=domain, practice=read_text(reader, lab, "practice"),
                        required=bool(read_bool(reader, lab, "required"))))
    return labs
