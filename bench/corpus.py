"""Generate a large German and English news corpus with known ground truth, for the benchmarks.

Each generated fact is a figure about a thing done somewhere (soldiers sent to a region, refugees who
fled, houses destroyed, money pledged...). Articles of many outlets report 2-5 facts each, in German or
English, in sentence patterns taken from real news: hedges ("rund", "about", "mehr als"), number words
and scale words, attributions before and after the figure ("laut", "according to", "sagte X"),
Konjunktiv and plans, dates, and the boilerplate of news sites (navigation, teasers, copyright). Some
outlets copy agency text; some sources give a different figure (a conflict) or a later one (an update).

Writes ``corpus-N.jsonl`` (one article per line: id, text, outlet, published, language, title) and
``corpus-N.truth.json`` (for each article, the facts it mentions, in order, with the value stated), so
quality can be measured at scale as well as speed.

With ``--recency W`` (off by default; the output without it is unchanged) the corpus runs in time: article
``i`` of ``n`` is published on day ``365 * i // n`` and draws its facts from the ``W`` facts open at that
point of the corpus (a window that moves through the facts as the articles go on), as news concentrates on
recent events. Indexing such a corpus in batches, a later batch meets mostly facts that are still open.

With ``--facts F`` (off by default) the articles draw from ``F`` facts only: each fact then has about
``3.5 * N / F`` mentions, so a small corpus shows what a large one does to the clustering (at 100,000
articles the 2,010 facts have about 174 mentions each; ``--articles 10000 --facts 200`` gives as many).

Usage: python bench/corpus.py --articles 10000 --out bench/out [--seed 7] [--recency 100] [--facts 200]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

# (key, unit class, German plural noun, English plural noun, German predicate participle, English verb,
#  German preposition phrase, English preposition phrase, typical magnitude)
THINGS = [
    ("soldiers-sent", "Soldaten", "soldiers", "{subj} hat {fig} Soldaten nach {place} geschickt",
     "{subj} has sent {fig} soldiers to {place}", 10_000),
    ("refugees", "Menschen", "people", "{fig} Menschen sind aus {place} geflohen",
     "{fig} people have fled {place}", 200_000),
    ("killed", "Tote", "dead", "bei den Angriffen auf {place} gab es {fig} Tote",
     "the attacks on {place} left {fig} dead", 300),
    ("injured", "Verletzte", "injured", "in {place} wurden {fig} Menschen verletzt",
     "{fig} people were injured in {place}", 800),
    ("houses", "Häuser", "houses", "in {place} wurden {fig} Häuser zerstört",
     "{fig} houses were destroyed in {place}", 4_000),
    ("aid-money", "Euro", "euros", "{subj} hat {fig} Euro Hilfe für {place} zugesagt",
     "{subj} has pledged {fig} euros in aid for {place}", 50_000_000),
    ("grain", "Tonnen Getreide", "tonnes of grain",
     "über den Hafen von {place} wurden {fig} Tonnen Getreide exportiert",
     "{fig} tonnes of grain were exported through the port of {place}", 2_000_000),
    ("jobs", "Arbeitsplätze", "jobs", "{subj} will in {place} {fig} Arbeitsplätze streichen",
     "{subj} plans to cut {fig} jobs in {place}", 3_000),
    ("visitors", "Besucher", "visitors", "das Festival in {place} zählte {fig} Besucher",
     "the festival in {place} drew {fig} visitors", 60_000),
    ("patients", "Patienten", "patients", "die Kliniken in {place} behandelten {fig} Patienten",
     "hospitals in {place} treated {fig} patients", 1_500),
    ("drones", "Drohnen", "drones", "{subj} hat {fig} Drohnen auf {place} abgefeuert",
     "{subj} launched {fig} drones at {place}", 150),
    ("tanks", "Panzer", "tanks", "{subj} hat {fig} Panzer an {place} geliefert",
     "{subj} has delivered {fig} tanks to {place}", 80),
]
PLACES = ["Kursk", "Charkiw", "Odessa", "Cherson", "Saporischschja", "Gaza", "Rafah", "Chartum", "Darfur", "Aleppo",
          "Idlib", "Mariupol", "Bachmut", "Kiew", "Lwiw", "Dnipro", "Sumy", "Tigray", "Goma", "Port-au-Prince",
          "Beirut", "Tyros", "Sanaa", "Aden", "Mossul", "Kabul", "Herat", "Bengasi", "Tripolis", "Niamey"]
SUBJECTS = ["Russland", "Nordkorea", "die Ukraine", "die EU", "Deutschland", "Frankreich", "die Regierung",
            "der Konzern", "Iran", "die Türkei", "Polen", "Großbritannien"]
SUBJECTS_EN = ["Russia", "North Korea", "Ukraine", "the EU", "Germany", "France", "the government", "the company",
               "Iran", "Turkey", "Poland", "Britain"]
SOURCES_DE = ["das Verteidigungsministerium", "die Vereinten Nationen", "das Rote Kreuz", "die Regionalregierung",
              "der Bürgermeister", "die Polizei", "der Geheimdienst", "Ärzte ohne Grenzen", "die Armee",
              "das Gesundheitsministerium"]
SOURCES_EN = ["the defence ministry", "the United Nations", "the Red Cross", "the regional government", "the mayor",
              "police", "intelligence officials", "Doctors Without Borders", "the army", "the health ministry"]
OUTLETS = [("taz", "de"), ("Süddeutsche Zeitung", "de"), ("FAZ", "de"), ("Der Spiegel", "de"), ("Die Zeit", "de"),
           ("tagesschau.de", "de"), ("DW", "de"), ("t-online", "de"), ("Der Standard", "de"), ("NZZ", "de"),
           ("Reuters", "en"), ("AP", "en"), ("BBC", "en"), ("The Guardian", "en"), ("New York Times", "en"),
           ("Washington Post", "en"), ("Al Jazeera", "en"), ("The Independent", "en"), ("Politico", "en"),
           ("Financial Times", "en")]
TIME_DE = ["am Montag", "am Dienstag", "am Mittwoch", "in der Nacht", "am Wochenende", "bis Freitag", "seit Januar",
           "im vergangenen Monat", "nach jüngsten Angaben", "zuletzt"]
TIME_EN = ["on Monday", "on Tuesday", "on Wednesday", "overnight", "over the weekend", "by Friday", "since January",
           "last month", "according to the latest figures", "most recently"]
REASON_DE = ["trotz internationaler Kritik", "nach wochenlangen Verhandlungen", "wie bereits befürchtet",
             "überraschend schnell", "unter schwierigen Bedingungen", "ohne Vorwarnung", "erstmals seit Jahren"]
REASON_EN = ["despite international criticism", "after weeks of talks", "as had been feared", "surprisingly fast",
             "under difficult conditions", "without warning", "for the first time in years"]
HEDGES_DE = [("", 1.0), ("rund ", 1.0), ("etwa ", 1.0), ("mehr als ", 1.0), ("knapp ", 1.0), ("mindestens ", 1.0),
             ("bis zu ", 1.0)]
HEDGES_EN = [("", 1.0), ("about ", 1.0), ("around ", 1.0), ("more than ", 1.0), ("nearly ", 1.0), ("at least ", 1.0),
             ("up to ", 1.0)]
NAV = ["Startseite > Politik > Ausland", "Home | World | Europe", "Mehr zum Thema", "Lesen Sie auch:",
       "© dpa-infocom, dpa:250618-930-12", "Alle Rechte vorbehalten.", "Share this article", "Newsletter abonnieren"]


def _round(v: float) -> int:
    """Round like a reporter: two significant figures."""
    if v < 100:
        return int(round(v))
    mag = 10 ** (len(str(int(v))) - 2)
    return int(round(v / mag) * mag)


def fmt_de(v: int) -> str:
    if v >= 1_000_000:
        m = v / 1_000_000
        return (f"{m:.1f}".replace(".", ",").replace(",0", "") + (" Millionen" if m != 1 else " Million"))
    return f"{v:,}".replace(",", ".")


def fmt_en(v: int) -> str:
    if v >= 1_000_000:
        m = v / 1_000_000
        return f"{m:.1f}".replace(".0", "") + " million"
    return f"{v:,}"


def make_facts(n: int, rng: random.Random) -> list[dict]:
    """``n`` distinct facts (at most one per thing, place and, where the sentence names one, subject)."""
    combos = [(t, p, s if "{subj}" in t[3] else 0) for t in THINGS for p in PLACES
              for s in (range(len(SUBJECTS)) if "{subj}" in t[3] else [0])]
    facts = []
    for i, ((key, _, _, de, en, mag), place, subj) in enumerate(rng.sample(combos, k=min(n, len(combos)))):
        value = _round(mag * rng.uniform(0.2, 5.0))
        facts.append({"id": f"f{i}", "kind": key, "place": place, "subject": subj, "value": value,
                      "de": de, "en": en})
    return facts


def sentence(fact: dict, lang: str, rng: random.Random, value: int) -> str:
    hedge = rng.choice(HEDGES_DE if lang == "de" else HEDGES_EN)[0]
    fig = hedge + (fmt_de(value) if lang == "de" else fmt_en(value))
    subj = SUBJECTS[fact["subject"]] if lang == "de" else SUBJECTS_EN[fact["subject"]]
    core = fact[lang].format(fig=fig, place=fact["place"], subj=subj)
    when = rng.choice(TIME_DE if lang == "de" else TIME_EN)
    why = rng.choice(REASON_DE if lang == "de" else REASON_EN)
    src = rng.choice(SOURCES_DE if lang == "de" else SOURCES_EN)
    style = rng.randrange(4)
    if lang == "de":
        cap = core[0].upper() + core[1:]
        if style == 0:
            s = f"{cap} {when}, teilte {src} mit"
        elif style == 1:
            s = f"{cap}, sagte ein Sprecher {when}"
        elif style == 2:
            s = f"{cap} {when}, {why}"
        else:
            s = f"{cap}, wie {src} mitteilte"
    else:
        if style == 0:
            s = f"According to {src}, {core} {when}"
        elif style == 1:
            s = f"{core[0].upper() + core[1:]}, {src} said {when}"
        elif style == 2:
            s = f"{when[0].upper() + when[1:]}, {core}, {why}"
        else:
            s = f"{core[0].upper() + core[1:]}, {src} told reporters"
    return s + "."


def open_facts(i: int, n_articles: int, facts: list[dict], window: int) -> list[dict]:
    """The ``window`` facts open at article ``i`` of ``n_articles``: the window moves through ``facts`` in
    order, from the first ``window`` at the first article to the last ``window`` at the last."""
    hi = min(len(facts), max(window, -(-(i + 1) * len(facts) // n_articles)))
    return facts[max(0, hi - window):hi]


def make_article(i: int, facts: list[dict], rng: random.Random, start: date,
                 day: int | None = None) -> tuple[dict, dict]:
    """Article ``i`` on 2-5 of ``facts``, published on a random day of the year from ``start`` (on ``day``
    when given)."""
    outlet, lang = rng.choice(OUTLETS)
    offset = rng.randrange(365)
    published = start + timedelta(days=offset if day is None else day)
    chosen = rng.sample(facts, k=min(len(facts), rng.randint(2, 5)))
    paras, truth = [], []
    for f in chosen:
        r = rng.random()
        value = f["value"]
        if r < 0.15:
            value = _round(value * rng.choice([0.8, 1.25, 1.5]))  # another source's figure: a conflict
        truth.append({"fact": f["id"], "value": value})
        paras.append(sentence(f, lang, rng, value))
    title_fact = chosen[0]
    title = (f"{title_fact['place']}: neue Zahlen" if lang == "de" else f"{title_fact['place']}: new figures")
    nav = rng.sample(NAV, k=2)
    text = "\n\n".join([nav[0], title, *paras, nav[1]]) + "\n"
    doc = {"id": f"a{i:06d}", "text": text, "outlet": outlet, "published": published.isoformat(), "language": lang,
           "title": title}
    return doc, {"id": doc["id"], "mentions": truth}


def generate(n_articles: int, out: Path, seed: int = 7, recency: int | None = None,
             n_facts: int | None = None) -> tuple[Path, Path]:
    """Write the corpus and its truth (``corpus-N[-rW][-fF].jsonl`` and ``.truth.json``); ``recency``: facts open
    at a time (None: every article draws from all facts); ``n_facts``: this many facts (None: one per two
    articles, at most one per combination of thing, place and subject)."""
    rng = random.Random(seed)
    facts = make_facts(n_facts or max(10, n_articles // 2), rng)
    out.mkdir(parents=True, exist_ok=True)
    name = f"corpus-{n_articles}" + (f"-r{recency}" if recency else "") + (f"-f{n_facts}" if n_facts else "")
    corpus, truth_path = out / f"{name}.jsonl", out / f"{name}.truth.json"
    truth = []
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(n_articles):
            if recency:
                doc, t = make_article(i, open_facts(i, n_articles, facts, recency), rng, date(2024, 1, 1),
                                      365 * i // n_articles)
            else:
                doc, t = make_article(i, facts, rng, date(2024, 1, 1))
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
            truth.append(t)
    truth_path.write_text(json.dumps({"facts": facts, "articles": truth}, ensure_ascii=False), encoding="utf-8")
    return corpus, truth_path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--recency", type=int, default=None,
                    help="facts open at a time: articles run in time and draw from these (default: all facts)")
    ap.add_argument("--facts", type=int, default=None,
                    help="this many facts (default: one per two articles, at most 2,010): fewer facts give each "
                         "more mentions, as a larger corpus does")
    a = ap.parse_args()
    if a.recency is not None and a.recency < 1:
        ap.error("--recency must be at least 1")
    if a.facts is not None and a.facts < 1:
        ap.error("--facts must be at least 1")
    corpus, truth = generate(a.articles, Path(a.out), a.seed, a.recency, a.facts)
    print(f"wrote {corpus} and {truth}")


if __name__ == "__main__":
    main()
