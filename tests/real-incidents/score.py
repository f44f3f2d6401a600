#!/usr/bin/env python3
"""Score `fsdoctor analyze` on the public real-incident set in ../shared.

For every case NNN-slug/ in the corpus it runs the built fsdoctor with --format=json and checks:
  class   an incident is diagnosed by a rule of the case's labelled class
          (classes.tsv maps a class to rule-id patterns; expectations.tsv may add case patterns)
  cause   the diagnosis text names the key cause the thread reached (expectations.tsv: groups
          of alternatives, every group must match one alternative)
  wrong   another incident is diagnosed with a rule outside the accepted set, or left
          unrecognised (a wrong second incident)
  advice  a phrase the case must not say (wrong advice) appears in any diagnosis text, other than
          in a clause that warns against it ("Do not run btrfs check --repair")
  exit    fsdoctor's exit status
A case is "right" when class and cause hold and there is neither a wrong incident nor wrong advice.

Exit status: 0, or 1 when a total falls below a --min-* floor, 77 when the corpus is absent.
"""
import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read_tsv(path):
    """Rows of a tab-separated file as dicts, keyed by its first non-comment line."""
    rows = []
    header = None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            if len(cols) != len(header):
                sys.exit(f"{path}:{lineno}: expected {len(header)} tab-separated columns, got {len(cols)}")
            rows.append(dict(zip(header, cols)))
    return rows


def split_list(value, sep):
    if value.strip() in ("", "-"):
        return []
    return [v.strip() for v in value.split(sep) if v.strip()]


def rule_matches(rule_id, patterns):
    """patterns: glob patterns on rule ids ("btrfs/enospc-*"); "!pat" excludes."""
    if not rule_id:
        return False
    ok = False
    for p in patterns:
        if p.startswith("!"):
            if fnmatch.fnmatchcase(rule_id, p[1:]):
                return False
        elif fnmatch.fnmatchcase(rule_id, p):
            ok = True
    return ok


def phrase_re(phrase):
    """A keyword alternative, case-insensitive, matched on word boundaries where it starts or
    ends with a word character; whitespace in it matches any run of blanks or a hyphen."""
    body = r"[\s-]+".join(re.escape(w) for w in phrase.split())
    if re.match(r"\w", phrase):
        body = r"\b" + body
    if re.search(r"\w$", phrase):
        body = body + r"\b"
    return re.compile(body, re.IGNORECASE)


NEGATION = re.compile(r"\b(?:do not|don't|never|avoid|not before|instead of)\b|不要|切勿|避免|不应", re.IGNORECASE)


def advises(text, phrase):
    """Whether text advises phrase: an occurrence in a clause that warns against it ("Do not run
    btrfs check --repair: ...") is the opposite of that advice and does not count."""
    for m in phrase_re(phrase).finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in ".;\n。；")
        if not NEGATION.search(text[start + 1:m.start()]):
            return True
    return False


def groups_match(text, groups):
    """groups: list of lists of alternatives; all groups must have one alternative in text."""
    return all(any(phrase_re(a).search(text) for a in alts) for alts in groups)


def parse_groups(value):
    """"memory|RAM|bit flip & memtest" -> [["memory","RAM","bit flip"],["memtest"]]"""
    return [split_list(g, "|") for g in split_list(value, "&")]


def diagnosis_texts(diag, parts):
    out = []
    for key in parts:
        v = diag.get(key)
        if isinstance(v, dict):
            out.append(str(v.get("en") or ""))
        elif isinstance(v, list):
            out.append(json.dumps(v, ensure_ascii=False))
        elif v:
            out.append(str(v))
    return "\n".join(out)


def run_case(fsdoctor, log, timeout):
    try:
        p = subprocess.run([fsdoctor, "analyze", "--quiet", "--format=json", log],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, []
    objs = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        try:
            objs.append(json.loads(line))
        except ValueError:
            continue
    return p.returncode, objs


def score_case(case, objs, exp, class_patterns):
    patterns = list(class_patterns) + split_list(exp.get("accept", "-"), ",")
    also = split_list(exp.get("also", "-"), ",")
    cause_groups = parse_groups(exp.get("cause", "-"))
    forbid = split_list(exp.get("forbid", "-"), "|")

    incidents = [o for o in objs if o.get("type") == "incident"]
    rules = []
    class_fired = False
    wrong = False
    cause_text = []
    all_text = []
    for inc in incidents:
        diag = inc.get("diagnosis") or {}
        rid = diag.get("rule_id") if diag.get("recognized", True) else None
        rules.append(rid or "-")
        all_text.append(diagnosis_texts(diag, ("title", "explanation", "remediation",
                                               "prevention", "facts", "fixes")))
        if rule_matches(rid, patterns):
            class_fired = True
            cause_text.append(diagnosis_texts(diag, ("title", "explanation", "facts", "fixes")))
        elif rule_matches(rid, also):
            cause_text.append(diagnosis_texts(diag, ("title", "explanation", "facts", "fixes")))
        else:
            wrong = True
    cause = bool(cause_groups) and class_fired and groups_match("\n".join(cause_text), cause_groups)
    said = "\n".join(all_text)
    bad_advice = [f for f in forbid if advises(said, f)]
    return {
        "rules": rules,
        "class": class_fired,
        "cause": cause,
        "wrong": wrong,
        "advice": bad_advice,
        "right": class_fired and cause and not wrong and not bad_advice,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fsdoctor", required=True, help="the built fsdoctor program")
    ap.add_argument("--corpus", required=True, help="real-incidents directory (labels.tsv, NNN-*/)")
    ap.add_argument("--expectations", default=os.path.join(HERE, "expectations.tsv"))
    ap.add_argument("--classes", default=os.path.join(HERE, "classes.tsv"))
    ap.add_argument("--min-class", type=int, default=0)
    ap.add_argument("--min-cause", type=int, default=0)
    ap.add_argument("--min-right", type=int, default=0)
    ap.add_argument("--max-wrong", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--verbose", "-v", action="store_true", help="also print the rules that fired")
    args = ap.parse_args()

    labels_path = os.path.join(args.corpus, "labels.tsv")
    if not os.path.isfile(labels_path):
        print(f"skip: {labels_path} not found (the shared corpus is not available)")
        return 77

    classes = {r["class"]: split_list(r["rules"], ",") for r in read_tsv(args.classes)}
    expectations = {r["id"]: r for r in read_tsv(args.expectations)}
    labels = read_tsv(labels_path)
    dirs = {d.split("-", 1)[0]: d for d in os.listdir(args.corpus)
            if os.path.isdir(os.path.join(args.corpus, d)) and re.match(r"\d+-", d)}

    totals = {"class": 0, "cause": 0, "wrong": 0, "advice": 0, "right": 0}
    n = 0
    print(f"{'case':<5} {'class':<22} {'fired':<5} {'cause':<5} {'wrong2':<6} {'advice':<6} {'right':<5} exit")
    for lab in sorted(labels, key=lambda r: r["id"]):
        cid, klass = lab["id"], lab["class"]
        if klass not in classes:
            sys.exit(f"{args.classes}: no line for class {klass!r} (case {cid})")
        if cid not in dirs:
            print(f"{cid:<5} missing directory")
            continue
        exp = expectations.get(cid)
        if exp is None:
            sys.exit(f"{args.expectations}: no line for case {cid}")
        rc, objs = run_case(args.fsdoctor, os.path.join(args.corpus, dirs[cid], "input.log"),
                            args.timeout)
        s = score_case(cid, objs, exp, classes[klass])
        n += 1
        for k in ("class", "cause", "wrong", "right"):
            totals[k] += bool(s[k])
        totals["advice"] += bool(s["advice"])
        yn = lambda b: "yes" if b else "no"
        ex = "timeout" if rc is None else str(rc)
        print(f"{cid:<5} {klass:<22} {yn(s['class']):<5} {yn(s['cause']):<5} {yn(s['wrong']):<6} "
              f"{yn(s['advice']):<6} {yn(s['right']):<5} {ex}")
        if args.verbose:
            print(f"      rules: {' '.join(s['rules']) or '(no incident)'}")
            if s["advice"]:
                print(f"      wrong advice: {'; '.join(s['advice'])}")
    print(f"real-incidents: {totals['class']}/{n} class, {totals['cause']}/{n} cause, "
          f"{totals['wrong']}/{n} wrong second incident, {totals['advice']}/{n} wrong advice, "
          f"{totals['right']}/{n} right")

    failed = []
    if totals["class"] < args.min_class:
        failed.append(f"class {totals['class']} < floor {args.min_class}")
    if totals["cause"] < args.min_cause:
        failed.append(f"cause {totals['cause']} < floor {args.min_cause}")
    if totals["right"] < args.min_right:
        failed.append(f"right {totals['right']} < floor {args.min_right}")
    if args.max_wrong is not None and totals["wrong"] > args.max_wrong:
        failed.append(f"wrong second incidents {totals['wrong']} > ceiling {args.max_wrong}")
    if failed:
        print("FAIL (regression): " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
