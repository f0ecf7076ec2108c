"""The dashboard's own words, in Dutch and English, in one place.

Labels, units, notes and sentences about the data come from the catalog and from ``analysis``;
what is here names the controls, modes and notes of the page and the chart. ``t(key, lang)``
looks a string up; ``{name}`` placeholders are filled from keyword arguments.
"""
from __future__ import annotations

LANGS = ("nl", "en")

STRINGS: dict[str, dict[str, str]] = {
    # --- Page ------------------------------------------------------------------------------
    "product": {"nl": "Politiestatistiek", "en": "Police statistics"},
    "tagline": {
        "nl": "Gepubliceerde politiecijfers als tijdreeks: trends, veranderingen en bronnen",
        "en": "Published police figures as time series: trends, changes and sources",
    },
    "language": {"nl": "Taal", "en": "Language"},
    "controls": {"nl": "Weergave kiezen", "en": "Choose the view"},
    "table": {"nl": "Tabel", "en": "Table"},
    "indicators": {"nl": "Indicatoren", "en": "Indicators"},
    "mode": {"nl": "Weergave", "en": "Show"},
    "base": {"nl": "Basisperiode (= 100)", "en": "Base period (= 100)"},
    "ratio": {"nl": "Verhouding", "en": "Ratio"},
    "chart": {"nl": "Grafiek", "en": "Chart"},
    "range": {"nl": "Periode", "en": "Period"},
    "from": {"nl": "Vanaf", "en": "From"},
    "to": {"nl": "Tot en met", "en": "To"},
    "all_periods": {"nl": "alle perioden", "en": "all periods"},
    "first_period": {"nl": "eerste periode in beeld", "en": "first period shown"},
    "options": {"nl": "Toevoegen aan de grafiek", "en": "Add to the chart"},
    "asof": {"nl": "Cijfers zoals gepubliceerd op", "en": "Figures as published on"},
    "asof_latest": {"nl": "nieuwste publicatie", "en": "latest publication"},
    "key_figures": {"nl": "Kerncijfers", "en": "Key figures"},
    "latest_value": {"nl": "Laatste waarde", "en": "Latest value"},
    "change_year": {"nl": "Verandering t.o.v. een jaar eerder", "en": "Change on a year earlier"},
    "trend_per_year": {"nl": "Trend per jaar", "en": "Trend per year"},
    "tab_sentences": {"nl": "In woorden", "en": "In words"},
    "tab_data": {"nl": "Data", "en": "Data"},
    "tab_sources": {"nl": "Definities en bronnen", "en": "Definitions and sources"},
    "tab_revisions": {"nl": "Herzieningen", "en": "Revisions"},
    "tab_python": {"nl": "Python", "en": "Python"},
    "python_intro": {
        "nl": "Deze regels maken dezelfde grafiek in een notebook, met dezelfde functies als het dashboard.",
        "en": "These lines make the same chart in a notebook, with the same functions as the dashboard.",
    },
    "definition": {"nl": "Definitie", "en": "Definition"},
    "footnotes": {"nl": "Voetnoten", "en": "Footnotes"},
    "caveats": {"nl": "Kanttekeningen", "en": "Caveats"},
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "published": {"nl": "gepubliceerd", "en": "published"},
    "in_store_as_of": {"nl": "In de cijfers als publicatie van", "en": "In the figures as the publication of"},
    "no_revisions": {
        "nl": "Geen van de getoonde cijfers is door een latere publicatie gewijzigd.",
        "en": "None of the figures shown was changed by a later publication.",
    },
    "revisions_intro": {
        "nl": "Cijfers die een latere publicatie heeft gewijzigd, met elke gepubliceerde waarde.",
        "en": "Figures that a later publication changed, with every published value.",
    },
    "no_data": {
        "nl": "Geen cijfers voor deze keuze.",
        "en": "No figures for this choice.",
    },
    "no_data_asof": {
        "nl": "Op {date} was nog geen van deze cijfers gepubliceerd.",
        "en": "None of these figures had been published on {date}.",
    },
    # --- Modes, charts, options ----------------------------------------------------------------
    "mode_level": {"nl": "Niveau", "en": "Level"},
    "mode_change": {"nl": "Verandering t.o.v. een jaar eerder (aantal)", "en": "Change on a year earlier (number)"},
    "mode_pct_change": {"nl": "Verandering t.o.v. een jaar eerder (%)", "en": "Change on a year earlier (%)"},
    "mode_index": {"nl": "Index", "en": "Index"},
    "mode_ratio": {"nl": "Verhouding", "en": "Ratio"},
    "chart_line": {"nl": "Lijn", "en": "Line"},
    "chart_bar": {"nl": "Staven", "en": "Bars"},
    "opt_trend": {"nl": "Trendlijn met 95%-band", "en": "Trend line with 95% band"},
    "opt_projection": {"nl": "Projectie", "en": "Projection"},
    "opt_events": {"nl": "Gebeurtenissen", "en": "Events"},
    "opt_log": {"nl": "Logaritmische schaal", "en": "Logarithmic scale"},
    "opt_revisions": {"nl": "Eerder gepubliceerde waarden", "en": "Earlier published values"},
    # --- Chart text ----------------------------------------------------------------------------
    "subtitle_level": {"nl": "niveau", "en": "level"},
    "subtitle_change": {"nl": "verandering t.o.v. een jaar eerder", "en": "change on a year earlier"},
    "subtitle_pct_change": {"nl": "verandering t.o.v. een jaar eerder in %", "en": "change on a year earlier in %"},
    "subtitle_index": {"nl": "index, {base} = 100", "en": "index, {base} = 100"},
    "subtitle_ratio": {"nl": "verhouding", "en": "ratio"},
    "unit_index": {"nl": "index", "en": "index"},
    "snapshot": {"nl": "stand {date}", "en": "as at {date}"},
    "snapshots": {"nl": "stand {first} t/m stand {last}", "en": "as at {first} to {last}"},
    "years": {"nl": "{first} t/m {last}", "en": "{first} to {last}"},
    "per_year": {"nl": "per jaar", "en": "per year"},
    "source": {"nl": "Bron", "en": "Source"},
    "sources_line": {"nl": "Bronnen", "en": "Sources"},
    "note_provisional": {
        "nl": "Open markering: voorlopig cijfer ({periods}).",
        "en": "Hollow marker: provisional figure ({periods}).",
    },
    "note_provisional_bar": {
        "nl": "Gearceerde staaf: voorlopig cijfer ({periods}).",
        "en": "Hatched bar: provisional figure ({periods}).",
    },
    "note_rounded": {"nl": "{periods}: {rounding}.", "en": "{periods}: {rounding}."},
    "note_revised": {
        "nl": "{period} herzien: eerder {old} ({status}, gepubliceerd {date}), nu {new}.",
        "en": "{period} revised: earlier {old} ({status}, published {date}), now {new}.",
    },
    "note_gaps": {
        "nl": "Geen cijfer gepubliceerd voor {years}; daar loopt de lijn recht door naar het volgende gepubliceerde jaar.",
        "en": "No figure published for {years}; there the line runs straight on to the next published year.",
    },
    "note_asof": {
        "nl": "Cijfers zoals gepubliceerd op {date}; latere herzieningen zijn niet verwerkt.",
        "en": "Figures as published on {date}; later revisions are not included.",
    },
    "note_axis_not_zero": {
        "nl": "Let op: de verticale as begint niet bij nul.",
        "en": "Note: the vertical axis does not start at zero.",
    },
    "note_log": {
        "nl": "Logaritmische schaal: gelijke afstanden zijn gelijke procentuele veranderingen.",
        "en": "Logarithmic scale: equal distances are equal percentage changes.",
    },
    "note_within_noise": {
        "nl": "Lichte staaf: verschil valt binnen de toevallige schommeling.",
        "en": "Light bar: the difference is within chance variation.",
    },
    "note_pct_missing": {
        "nl": "Geen percentage waar een jaar eerder geen cijfer of een te kleine basis heeft.",
        "en": "No percentage where there is no figure a year earlier or the base is too small.",
    },
    "note_trend": {
        "nl": "Trend ({label}): {slope} per jaar (95%-interval {low} tot {high}), op {n} punten ({span}).",
        "en": "Trend ({label}): {slope} per year (95% interval {low} to {high}), from {n} points ({span}).",
    },
    "note_projection": {
        "nl": "Projectie ({label}): voortzetting van de trend tot {until}, met 95%-voorspelinterval; geen prognose.",
        "en": "Projection ({label}): the trend continued to {until}, with 95% prediction interval; not a forecast.",
    },
    "note_projection_refused": {"nl": "Geen projectie ({label}): {reason}", "en": "No projection ({label}): {reason}"},
    "note_earlier_values": {
        "nl": "Grijze ruit: eerder gepubliceerde waarde.",
        "en": "Grey diamond: value as published earlier.",
    },
    "points_percent": {"nl": "procentpunt", "en": "percentage points"},
    "points_index": {"nl": "indexpunten", "en": "index points"},
    "trend": {"nl": "trend", "en": "trend"},
    "trend_band": {"nl": "95%-band trend", "en": "95% band of trend"},
    "projection": {"nl": "projectie", "en": "projection"},
    "projection_band": {"nl": "95%-voorspelinterval", "en": "95% prediction interval"},
    "earlier_published": {"nl": "eerder gepubliceerd", "en": "published earlier"},
    "hover_base": {"nl": "t.o.v. {period}: {value}", "en": "compared with {period}: {value}"},
    "hover_index": {"nl": "index {value}", "en": "index {value}"},
    "hover_ratio": {"nl": "{numerator} van {denominator}", "en": "{numerator} of {denominator}"},
    "hover_published": {"nl": "gepubliceerd {date}", "en": "published {date}"},
    "verdict_increase": {"nl": "stijging groter dan toeval", "en": "rise beyond chance"},
    "verdict_decrease": {"nl": "daling groter dan toeval", "en": "fall beyond chance"},
    "verdict_within_noise": {"nl": "binnen de toevallige schommeling", "en": "within chance variation"},
    "trend_points": {"nl": "{n} punten", "en": "{n} points"},
    "trend_span": {"nl": "{n} punten, {span}", "en": "{n} points, {span}"},
    "trend_interval": {"nl": "95%-interval {low} tot {high}", "en": "95% interval {low} to {high}"},
    "trend_not_sure": {
        "nl": "richting onzeker (interval omvat 0)",
        "en": "direction uncertain (interval includes 0)",
    },
    "no_base_year": {"nl": "geen cijfer een jaar eerder", "en": "no figure a year earlier"},
    "axis_change": {"nl": "verschil ({unit})", "en": "difference ({unit})"},
    "axis_pct_change": {"nl": "verandering (%)", "en": "change (%)"},
    # --- Data table ------------------------------------------------------------------------------
    "col_indicator": {"nl": "Indicator", "en": "Indicator"},
    "col_period": {"nl": "Periode", "en": "Period"},
    "col_value": {"nl": "Waarde", "en": "Value"},
    "col_level": {"nl": "Niveau", "en": "Level"},
    "col_base": {"nl": "Vergeleken met", "en": "Compared with"},
    "col_status": {"nl": "Status", "en": "Status"},
    "col_rounding": {"nl": "Afronding", "en": "Rounding"},
    "col_vintage": {"nl": "Gepubliceerd", "en": "Published"},
    "col_source": {"nl": "Bron", "en": "Source"},
    "col_verdict": {"nl": "Toets", "en": "Test"},
    "exact": {"nl": "exact", "en": "exact"},
    # --- Downloads and exports ----------------------------------------------------------------------
    "dl_indicator_id": {"nl": "Indicator-id", "en": "Indicator id"},
    "dl_period_start": {"nl": "Begin periode", "en": "Period start"},
    "dl_period_end": {"nl": "Einde periode", "en": "Period end"},
    "dl_rounded_to": {"nl": "Afgerond op (1 = exact)", "en": "Rounded to (1 = exact)"},
    "dl_source_id": {"nl": "Bron-id", "en": "Source id"},
    "dl_abs_change": {"nl": "Verandering (aantal)", "en": "Change (number)"},
    "dl_pct_change": {"nl": "Verandering (%)", "en": "Change (%)"},
    "dl_base_period": {"nl": "Vergeleken met", "en": "Compared with"},
    "dl_base_value": {"nl": "Waarde toen", "en": "Value then"},
    "dl_base_rounded_to": {"nl": "Afgerond op, toen (1 = exact)", "en": "Rounded to, then (1 = exact)"},
    "dl_index_base_value": {"nl": "Waarde in de basisperiode", "en": "Value in the base period"},
    "dl_sheet_data": {"nl": "Gegevens", "en": "Data"},
    "dl_sheet_notes": {"nl": "Bronnen en toelichting", "en": "Sources and notes"},
    "dl_title": {"nl": "Titel", "en": "Title"},
    "dl_subtitle": {"nl": "Ondertitel", "en": "Subtitle"},
    "dl_reference": {"nl": "Peildatum laatste cijfer", "en": "Reference date of the latest figure"},
    "dl_view": {"nl": "Weergave in het dashboard", "en": "View in the dashboard"},
    "dl_notes": {"nl": "Toelichting", "en": "Notes"},
    "dl_publisher": {"nl": "Uitgever", "en": "Publisher"},
    "dl_url": {"nl": "Adres", "en": "Address"},
    "dl_kamerstuk": {"nl": "Kamerstuk", "en": "Parliamentary paper"},
    "dl_licence": {"nl": "Licentie", "en": "Licence"},
    "export_image": {"nl": "Afbeelding", "en": "Image"},
    "preset_letter": {"nl": "Brief (A4, 16 cm breed)", "en": "Letter (A4, 16 cm wide)"},
    "preset_slide": {"nl": "Dia (16:9)", "en": "Slide (16:9)"},
    "download_data": {"nl": "Gegevens in beeld", "en": "Data in view"},
    "presentation_on": {"nl": "Presentatieweergave", "en": "Presentation view"},
    "presentation_off": {"nl": "Terug naar verkennen", "en": "Back to exploring"},
    # --- Notices (URL parameters) -------------------------------------------------------------
    "notice_unknown_param": {
        "nl": "Onbekende parameter '{param}' in de link is genegeerd.",
        "en": "Unknown parameter '{param}' in the link was ignored.",
    },
    "notice_bad_value": {
        "nl": "Ongeldige waarde '{value}' voor '{param}' in de link is genegeerd ({expected}).",
        "en": "Invalid value '{value}' for '{param}' in the link was ignored ({expected}).",
    },
    "notice_repeated": {
        "nl": "Parameter '{param}' staat meer dan eens in de link; de laatste waarde is gebruikt.",
        "en": "Parameter '{param}' appears more than once in the link; the last value was used.",
    },
    "notice_unknown_indicator": {
        "nl": "Onbekende indicator '{value}' in de link is genegeerd.",
        "en": "Unknown indicator '{value}' in the link was ignored.",
    },
    "notice_other_table": {
        "nl": "Indicator '{value}' hoort niet bij de gekozen tabel en is genegeerd.",
        "en": "Indicator '{value}' does not belong to the chosen table and was ignored.",
    },
    "notice_no_ratio": {
        "nl": "Deze tabel heeft geen verhoudingen; het niveau wordt getoond.",
        "en": "This table has no ratios; the level is shown.",
    },
    "notice_range": {
        "nl": "'from' ligt na 'to' in de link; de periode is genegeerd.",
        "en": "'from' is after 'to' in the link; the period was ignored.",
    },
    "notice_unreadable": {
        "nl": "De link kon niet gelezen worden; de standaardweergave wordt getoond.",
        "en": "The link could not be read; the default view is shown.",
    },
    "notice_base_not_positive": {
        "nl": "Basisperiode {base} heeft geen positieve waarde om een index op te baseren; de eerste periode met een waarde is gebruikt.",
        "en": "Base period {base} has no positive value to base an index on; the first period with one was used.",
    },
    "notice_base_missing": {
        "nl": "Basisperiode {base} komt niet voor in de reeks; de eerste periode is gebruikt.",
        "en": "Base period {base} is not in the series; the first period was used.",
    },
    "notice_log_change": {
        "nl": "Een logaritmische schaal kan niet bij veranderingen (die kunnen negatief zijn); lineaire schaal gebruikt.",
        "en": "A logarithmic scale cannot show changes (they can be negative); a linear scale is used.",
    },
    "notice_trend_change": {
        "nl": "Trend en projectie horen bij niveaus, indexcijfers en verhoudingen, niet bij veranderingen.",
        "en": "Trend and projection belong to levels, index numbers and ratios, not to changes.",
    },
    "expected_choice": {"nl": "kies uit {choices}", "en": "choose from {choices}"},
    "expected_period": {"nl": "een datum als 2026-06-02 of een jaar", "en": "a date such as 2026-06-02 or a year"},
    "expected_flag": {"nl": "1 of 0", "en": "1 or 0"},
    # --- Import pages (dashboard/importer.py; templates read them as text.<name>) ---------------------
    "import_title": {"nl": 'Politiestatistiek', "en": 'Police statistics'},
    "import_import": {"nl": 'Document importeren', "en": 'Import a document'},
    "import_login": {"nl": 'Inloggen', "en": 'Log in'},
    "import_user": {"nl": 'Gebruikersnaam', "en": 'User name'},
    "import_password": {"nl": 'Wachtwoord', "en": 'Password'},
    "import_logout": {"nl": 'Uitloggen', "en": 'Log out'},
    "import_bad_login": {"nl": 'Gebruikersnaam of wachtwoord klopt niet.', "en": 'User name or password is wrong.'},
    "import_intro": {
        "nl": 'Een brief (tekst, HTML of .docx) of een CSV zoals gepubliceerd. U ziet eerst wat er verandert; pas na bevestigen wordt een nieuwe vintage geschreven.',
        "en": 'A letter (text, HTML or .docx) or a CSV as published. You first see what changes; a new vintage is written only after you confirm.',
    },
    "import_document": {"nl": 'Document', "en": 'Document'},
    "import_vintage": {"nl": 'Publicatiedatum (vintage)', "en": 'Publication date (vintage)'},
    "import_doc_title": {"nl": 'Titel', "en": 'Title'},
    "import_publisher": {"nl": 'Uitgever', "en": 'Publisher'},
    "import_published": {"nl": 'Gepubliceerd (zoals vermeld)', "en": 'Published (as stated)'},
    "import_url": {"nl": 'URL', "en": 'URL'},
    "import_kamerstuk": {"nl": 'Kamerstuk', "en": 'Kamerstuk'},
    "import_status": {"nl": 'Status van waarden zonder markering', "en": 'Status of values without a marker'},
    "import_preview": {"nl": 'Voorbeeld bekijken', "en": 'Preview'},
    "import_confirm": {"nl": 'Bevestigen en schrijven', "en": 'Confirm and write'},
    "import_cancel": {"nl": 'Annuleren', "en": 'Cancel'},
    "import_new": {"nl": 'nieuw', "en": 'new'},
    "import_revised": {"nl": 'herzien', "en": 'revised'},
    "import_unchanged": {"nl": 'ongewijzigd', "en": 'unchanged'},
    "import_indicator": {"nl": 'Indicator', "en": 'Indicator'},
    "import_period": {"nl": 'Periode', "en": 'Period'},
    "import_old": {"nl": 'Was', "en": 'Was'},
    "import_value": {"nl": 'Waarde', "en": 'Value'},
    "import_change": {"nl": 'Wijziging', "en": 'Change'},
    "import_error": {"nl": 'Het document is niet ingelezen', "en": 'The document was not read'},
    "import_where": {"nl": 'Waar', "en": 'Where'},
    "import_nothing_written": {
        "nl": 'Er is niets geschreven; de gegevens zijn ongewijzigd.',
        "en": 'Nothing was written; the data are unchanged.',
    },
    "import_already": {
        "nl": 'Dit document staat al in de gegevens als bron {source}. Er is niets te doen.',
        "en": 'This document is already in the data as source {source}. Nothing to do.',
    },
    "import_written": {
        "nl": 'Geschreven: vintage {vintage}, bron {source}.',
        "en": 'Written: vintage {vintage}, source {source}.',
    },
    "import_cancelled": {"nl": 'Geannuleerd; er is niets geschreven.', "en": 'Cancelled; nothing was written.'},
    "import_stale": {
        "nl": 'De gegevens zijn veranderd sinds het voorbeeld. Controleer het nieuwe voorbeeld.',
        "en": 'The data changed since the preview. Check the new preview.',
    },
    "import_expired": {
        "nl": 'Dit voorbeeld is verlopen of al afgehandeld. Upload het document opnieuw.',
        "en": 'This preview has expired or was already handled. Upload the document again.',
    },
    "import_unreadable": {"nl": 'Het bestand kon niet worden gelezen.', "en": 'The file could not be read.'},
    "import_no_file": {"nl": 'Kies een bestand.', "en": 'Choose a file.'},
    "import_bad_type": {"nl": 'Alleen {types} worden aanvaard.', "en": 'Only {types} are accepted.'},
    "import_too_big": {"nl": 'Het bestand is groter dan {limit} MB.', "en": 'The file is larger than {limit} MB.'},
    "import_bad_date": {"nl": '{field}: gebruik JJJJ-MM-DD.', "en": '{field}: use YYYY-MM-DD.'},
    "import_file": {"nl": 'Bestand', "en": 'File'},
    "import_checksum": {"nl": 'SHA-256', "en": 'SHA-256'},
    "import_source": {"nl": 'Bron-id', "en": 'Source id'},
    "import_skipped": {
        "nl": 'Overgeslagen (geen tabel uit de catalogus)',
        "en": 'Skipped (not a table of the catalog)',
    },
    "import_back": {"nl": 'Naar het dashboard', "en": 'Back to the dashboard'},
    "import_signed_in": {"nl": 'Ingelogd als {user}', "en": 'Signed in as {user}'},
    # --- Error pages (dashboard/server.py): instead of Werkzeug's texts, which name internals in places ---
    "error_title": {"nl": 'Politiestatistiek', "en": 'Police statistics'},
    "error_home": {"nl": 'Naar het dashboard', "en": 'Back to the dashboard'},
    "error_400": {"nl": 'Het verzoek is niet begrepen.', "en": 'The request was not understood.'},
    "error_403": {"nl": 'U heeft geen toegang tot deze pagina.', "en": 'You have no access to this page.'},
    "error_404": {"nl": 'Deze pagina bestaat niet.', "en": 'This page does not exist.'},
    "error_405": {"nl": 'Deze actie kan hier niet.', "en": 'This action is not possible here.'},
    "error_413": {"nl": 'Het bestand is te groot.', "en": 'The file is too large.'},
    "error_429": {
        "nl": 'Te veel pogingen. Probeer het over een kwartier opnieuw.',
        "en": 'Too many attempts. Try again in a quarter of an hour.',
    },
    "error_500": {
        "nl": 'Er ging iets mis aan onze kant. De fout is vastgelegd; probeer het later opnieuw.',
        "en": 'Something went wrong on our side. The error was logged; please try again later.',
    },
    "error_other": {"nl": 'Dit verzoek kon niet worden afgehandeld.', "en": 'This request could not be handled.'},
}


def strings(prefix: str, lang: str = "nl") -> dict[str, str]:
    """Every string whose key starts with ``prefix``, keyed by the rest (``strings("import_", "en")["login"]``):
    the plain pages' templates read them as ``text.login``."""
    return {key[len(prefix):]: texts["en" if lang == "en" else "nl"] for key, texts in STRINGS.items()
            if key.startswith(prefix)}


def t(key: str, lang: str = "nl", **values) -> str:
    """The string ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    text = STRINGS[key]["en" if lang == "en" else "nl"]
    return text.format(**values) if values else text
