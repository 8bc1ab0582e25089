"""Train triage's learned safety net: `manage.py triage_train`.

Reads the labelled corpus in the repository (`matching/data/triage-corpus.jsonl`, plus any reviewed rows given with
`--add`, such as coordinators' overrides exported by `triage_export_overrides`), chooses the thresholds by
leave-one-writer-out cross-validation (`matching/training.py`), fits the model on every row and writes
`matching/data/triage-model.npz`. Deterministic: the same corpus gives the same model and the same predictions.
Nothing calls this by itself; commit the new model after reviewing the figures it prints.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching import classifier, training
from matching.classifier import DEFAULT_MODEL_PATH, Thresholds
from matching.corpus import CORPUS_PATH, CorpusError, Example, load_examples


class Command(BaseCommand):
    help = "Train the triage classifier from the labelled corpus and write the model file (deterministic)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", type=Path, default=CORPUS_PATH, help=f"training corpus (default {CORPUS_PATH})")
        parser.add_argument(
            "--add", type=Path, action="append", default=[], help="more reviewed rows (JSONL), e.g. exported overrides"
        )
        parser.add_argument(
            "--out", type=Path, default=DEFAULT_MODEL_PATH, help=f"model file (default {DEFAULT_MODEL_PATH})"
        )
        parser.add_argument(
            "--thresholds",
            help="skip the cross-validation and use these thresholds, 'heavy,crisis' (e.g. 0.6,0.35)",
        )
        parser.add_argument(
            "--raised",
            action="store_true",
            help="also print every light request (nl, fr, en, mixed) the cross-validation keeps from neighbours, by raiser",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout.write
        try:
            examples: list[Example] = load_examples(options["corpus"])
            for extra in options["add"]:
                examples += load_examples(extra)
        except CorpusError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        out(f"{len(examples)} labelled requests")
        if options["thresholds"]:
            try:
                heavy, crisis = (float(x) for x in options["thresholds"].split(","))
            except ValueError as exc:
                raise CommandError("--thresholds takes two numbers: heavy,crisis (e.g. 0.6,0.35)") from exc
            if not (0 < heavy < 1 and 0 < crisis < 1):
                raise CommandError("--thresholds: both numbers must lie between 0 and 1.")
            thresholds = Thresholds(heavy=heavy, crisis=crisis, crisis_other=crisis)
            chosen_by: dict[str, Any] = {"given": options["thresholds"]}
        else:
            out("choosing thresholds by leave-one-writer-out cross-validation")
            try:
                cv = training.cross_validate(examples, log=out)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            thresholds = cv.thresholds
            out(
                f"\nthresholds: heavy ≥ {thresholds.heavy:.2f} (P(heavy)+P(crisis)), crisis ≥ {thresholds.crisis:.2f}"
                f" (P(crisis)), other languages crisis ≥ {thresholds.other:.2f}, kept from neighbours when P(crisis)"
                f" ≥ {thresholds.keep:.2f}; targets on left-out writers (nl, fr,"
                f" en, mixed): crisis recall ≥ {training.CRISIS_RECALL} (model by itself"
                f" ≥ {training.MODEL_CRISIS_RECALL}), kept ≥ {training.KEPT} (model by itself ≥ {training.MODEL_KEPT});"
                f" other languages: model by itself crisis recall ≥ {training.CRISIS_RECALL_OTHER}; model by itself"
                f" keeps ≥ {training.MODEL_CRISIS_KEPT} of crisis requests from neighbours"
            )
            out("figures at the chosen thresholds (left-out writers, whole triage):")
            for name, figures in cv.chosen_by.items():
                out(f"  {name:<22} n={figures.total:<5} {figures.row()}")
            g = cv.gate
            out(
                f"language gate (each writer's words left out of the vocabulary): nl/fr/en/mixed requests CLD2 alone"
                f" would stop, read by the vocabulary: {g['unsure_read']} of {g['unsure']}; requests in other"
                f" languages let through: {g['other_passed']} of {g['other']} (were CLD2 unsure of every one:"
                f" {g['other_passed_if_unsure']})"
            )
            out("around them:")
            for line in training.threshold_table(cv):
                out(f"  {line}")
            if options["raised"]:
                self._print_raised(cv)
            chosen_by = {name: vars(f) for name, f in cv.chosen_by.items()}
            chosen_by["language gate"] = dict(cv.gate)
        meta = {
            "corpus_digest": classifier.corpus_digest([{"text": e.text, "level": e.level} for e in examples]),
            "examples": len(examples),
            "c": training.C,
            "chosen_by": chosen_by,
        }
        model = training.fit(examples, thresholds=thresholds, meta=meta)
        model.save(options["out"])
        size = options["out"].stat().st_size
        out(
            f"\nwrote {options['out']} ({size / 1024 / 1024:.2f} MB, {len(model.columns)} n-gram columns) in "
            f"{time.perf_counter() - started:.0f} s; commit it with the corpus."
        )

    def _print_raised(self, cv: training.CrossValidation) -> None:
        groups = training.raised_light(cv)
        total = sum(1 for e in cv.examples if e.level == "light" and training.is_read(e))
        self.stdout.write(f"\nlight requests (nl, fr, en, mixed: {total}) kept from neighbours, by raiser:")
        for raiser, rows in groups.items():
            self.stdout.write(f"  {raiser}: {len(rows)}")
            for example, why in rows:
                text = " ".join(example.text.split())
                self.stdout.write(f"    [{example.writer} {example.lang} {why}] {text[:140]}")
