"""One table mapping the column headers people really use to Darwin Core terms.

Matching ignores case, spaces, underscores, hyphens, full-width forms and 臺/台, so
"WGS84 Lati", "wgs84_lati" and "ＷＧＳ８４Ｌａｔｉ" are one header. A header that names its
coordinate system (WGS84Long, TWD97X) also implies the SRS of the record.
"""
from __future__ import annotations

import re
import unicodedata

from .. import standard

# Canonical occurrence columns, all kept as verbatim text in the snapshot.
CANONICAL = [
    "occurrenceID", "datasetID", "datasetName", "organizer", "publisher", "rightsHolder",
    "recordedBy", "eventDate", "year", "month", "day", "eventID", "scientificName",
    "scientificNameVersion", "vernacularName", "taxonRank", "kingdom", "phylum", "class",
    "order", "family", "genus", "checkName", "basisOfRecord", "decimalLatitude",
    "decimalLongitude", "verbatimLatitude", "verbatimLongitude", "verbatimSRS", "geodeticDatum",
    "coordinateUncertaintyInMeters", "coordinatePrecision", "verbatimLocality", "locality",
    "stateProvince", "dwc_county", "municipality", "countryCode", "habitat", "samplingProtocol",
    "organismQuantity", "organismQuantityType", "individualCount", "selfProduced",
    "occurrenceRemarks", "license", "issue", "occurrenceStatus", "verbatimEventDate",
    # an event table's hierarchy (year → site → visit in BBS Taiwan): a parent event's point and
    # date are on its child events (dq/checks/completeness.py)
    "parentEventID",
    # the name as the surveyor wrote it (BBS Taiwan's species list: species_ori → its standard name)
    "verbatimIdentification",
    # the time of day of an event (BBS Taiwan's survey visits): read by DATE_TIME_INVALID, and two records
    # of one day at two times are no repeat (dq/checks/duplicates.py)
    "eventTime",
]
# The other Darwin Core terms the TDWG BDQ tests read (dq/checks/bdq.py, #12): kept verbatim too,
# so a general Darwin Core file can be judged by the bdq-core profile. "type" is dc:type.
CANONICAL += [t for t in [
    "acceptedNameUsageID", "continent", "country", "cultivarEpithet", "dataGeneralizations", "dateIdentified",
    "degreeOfEstablishment", "endDayOfYear", "establishmentMeans", "footprintWKT", "genericName", "higherClassification",
    "higherGeography", "higherGeographyID", "infragenericEpithet", "infraspecificEpithet", "island", "islandGroup",
    "locationID", "maximumDepthInMeters", "maximumElevationInMeters", "minimumDepthInMeters", "minimumElevationInMeters",
    "namePublishedInYear", "occurrenceStatus", "originalNameUsageID", "parentNameUsageID", "pathway",
    "scientificNameAuthorship", "scientificNameID", "sex", "specificEpithet", "startDayOfYear", "subfamily", "subgenus",
    "subtribe", "superfamily", "taxonConceptID", "taxonID", "tribe", "type", "typeStatus", "verbatimCoordinates",
    "verbatimDepth", "verbatimElevation", "verbatimEventDate", "waterBody",
] if t not in CANONICAL]
# Fields of the 生態檢核 project and species-list tables are canonical too.
for _t in standard.all_terms():
    if _t not in CANONICAL:
        CANONICAL.append(_t)

# term -> header variants seen in Taiwanese data (the term itself always matches).
ALIASES: dict[str, list[str]] = {
    "occurrenceID": ["紀錄編號", "記錄編號", "出現紀錄編號", "gbifid_occurrence", "occurrence_id",
                     "global unique identifier"],
    "datasetID": ["工程編號", "資料集編號", "datasetkey"],
    "datasetName": ["工程名稱", "資料集名稱", "計畫名稱"],
    "organizer": ["主辦機關"],
    "publisher": ["發布單位", "發布者", "publishingorgkey"],
    "rightsHolder": ["資料紀錄團隊", "資料記錄團隊", "調查單位", "執行單位"],
    "recordedBy": ["資料紀錄人", "資料記錄人", "記錄者", "紀錄者", "紀錄人", "記錄人", "調查人員", "觀察者", "採集者",
                   "observer id", "observer", "user_login", "user_name", "recorded_by"],
    "eventDate": ["調查日期", "資料產生日期", "日期", "觀察日期", "記錄日期", "紀錄日期", "採集日期", "date",
                  "observation date", "observed_on", "date_time", "datetime", "拍攝日期", "拍攝時間", "日期時間", "event_date"],
    "verbatimEventDate": ["季節", "season", "observed_on_string"],
    "eventID": ["sampling event identifier", "submission id", "event_id"],
    "parentEventID": ["parent_event_id", "parent event id"],
    "occurrenceStatus": ["occurrence_status", "出現狀態"],
    # a status column of other names ("status": 原生/特有/外來種) is found by its values (mapping.py)
    "establishmentMeans": ["原生性", "原生/外來", "原生或外來", "原生外來", "establishment_means"],
    "year": ["年", "年份", "年度", "民國年", "民國年度", "調查年", "調查年度"], "month": ["月"], "day": ["日"],
    "scientificName": ["學名", "物種學名", "scientific_name", "species", "latinname", "sciname", "sci_name", "taxon",
                       "taxon name", "分類群學名", "簡學名"],   # TBN checklists: 分類群學名, 簡學名
    "scientificNameVersion": ["學名來源及版本"],
    "vernacularName": ["中文名", "俗名", "物種中文名", "中文俗名", "物種名稱", "commonname", "common_name", "物種",
                       "蛙種", "種名", "鳥種", "物種名", "中名", "english_name", "英文名",
                       "動物名稱", "植物名稱", "樹種", "魚種", "分類群俗名",
                       "common_name_c", "zh_name"],   # TaiCOL's export: common_name_c; TaiBON's plant red list: zh_name
    # TaiCOL's export splits a name (genus, species, infraspecies) and gives its author apart; its
    # "species" column holds the epithet alone and is moved to specificEpithet by its values (mapping.py)
    "infraspecificEpithet": ["infraspecies", "infraspecific_epithet"],
    "scientificNameAuthorship": ["author", "authors", "authorship", "命名者", "學名命名者", "scientific_name_authorship"],
    "taxonRank": ["鑑定層級", "分類階層"],
    "taxonID": ["name_code", "taxon_id", "taicol_id", "物種uuid"],   # TaiCOL exports: name_code; TBN: 物種UUID
    "acceptedNameUsageID": ["acceptednamecode", "accepted_name_code"],   # TaiCOL's synonym sheets: acceptedNamecode
    "verbatimIdentification": ["species_ori", "original name", "原始名稱", "原始物種名", "原名稱", "verbatim_identification"],
    "kingdom": ["界"], "phylum": ["門"], "class": ["綱"], "order": ["目"],
    # TaiBON's plant red list names its family column family_apg3 (its ferns were "a group not covered")
    "family": ["科名", "科", "family_name", "family_apg3", "family_apg4"], "genus": ["屬名", "屬"],
    "checkName": ["所屬分類", "類群"],
    "basisOfRecord": ["紀錄類型", "記錄類型", "basis_of_record"],
    "decimalLatitude": ["緯度", "lat", "latitude", "wgs84lati", "wgs84lat", "wgs84latitude", "wgs84緯度", "y_wgs84", "十進位緯度"],
    "decimalLongitude": ["經度", "lon", "lng", "long", "longitude", "wgs84long", "wgs84lon", "wgs84longitude", "wgs84經度", "x_wgs84", "十進位經度"],
    "verbatimLatitude": ["y坐標", "y座標", "縱坐標", "縱座標", "twd97y", "twd97_y", "twd67y", "twd97縱坐標", "y"],
    "verbatimLongitude": ["x坐標", "x座標", "橫坐標", "橫座標", "twd97x", "twd97_x", "twd67x", "twd97橫坐標", "x"],
    "verbatimSRS": ["坐標參考系統", "座標參考系統", "大地基準", "坐標系統", "座標系統", "srs", "epsg", "crs"],
    "geodeticDatum": ["datum"],
    "coordinateUncertaintyInMeters": ["誤差範圍", "坐標誤差", "座標誤差", "精度(m)", "誤差(m)", "uncertainty",
                                      "positional_accuracy", "public_positional_accuracy"],
    "verbatimLocality": ["地點", "基地地點", "地點名稱", "樣區", "樣點名稱", "place", "place_guess", "location", "樣點",
                         "相機位置", "site", "site name", "survey site"],   # a survey site's name (樣區), as NTU/OCA's reef files name it
    "locality": [],
    "stateProvince": ["state_province", "state", "state/province", "place_state_name"],
    "dwc_county": ["county", "縣市", "縣市名稱", "縣市別", "place_county_name"],
    "municipality": ["鄉鎮", "鄉鎮市區", "鄉鎮市", "鄉鎮區"],
    "countryCode": ["country_code"],
    # a depth or an elevation as the file writes it ("5m", "10-15 m"): the verbatim terms, which the BDQ
    # amendments read into metres (NTU/OCA's reef survey sites have Depth); taken only when the values carry
    # their unit (mapping.py: GBIF's depth and elevation are bare metres)
    "verbatimDepth": ["depth", "深度", "水深"],
    "verbatimElevation": ["elevation", "altitude", "海拔", "海拔高度"],
    "habitat": ["採集環境棲地描述", "棲地", "棲地類型", "環境", "環境型態", "棲地型態", "環境類型"],
    "samplingProtocol": ["調查方法", "記錄方式", "紀錄方式", "調查方式", "method", "protocol type", "protocol name", "protocol"],
    "organismQuantity": ["數量", "個體數", "隻數", "隻次", "數目", "count", "abundance", "observation count"],
    "organismQuantityType": ["數量單位", "單位"],
    "individualCount": ["individual_count"],
    "selfProduced": ["第一手資料", "是否自產"],
    "occurrenceRemarks": ["備註", "remarks", "species comments", "observation details"],
    "license": ["授權", "授權方式"],
    "issue": ["issues"],
    "contractor": ["承攬廠商"], "contractorWork": ["承攬廠商主責項目"], "impactArea": ["工程影響範圍"],
    "engineeringBudget": ["工程預算"], "ecologyBudget": ["生態檢核編列預算"],
    "engineeringPurpose": ["工程目的"], "engineeringType": ["工程類型"],
    "engineeringAbstract": ["工程概要"], "engineeringExpection": ["工程預期效益"],
    "ecoExpection": ["生態檢核效益"], "engineeringStage": ["工程階段"],
    "ecoConcernMap": ["生態關注區域圖"], "startTime": ["起始時間"], "endTime": ["結束時間"],
    "concernedSpecie": ["本案關注物種"], "reference": ["紀錄來源"], "ecoFriendly": ["生態友善措施"],
    "ecoFriendlyArea": ["友善措施範圍"],
}

# Every Darwin Core term (TDWG's simple Darwin Core list, dist/simple_dwc_vertical.csv in tdwg/dwc, and the
# terms added since), as an archive's meta.xml names its fields: a column under one that this tool does not
# read is a standard term it does not check, not "not a standard term" (a DwC-A's sampleSizeValue …)
DWC_TERMS = frozenset("""
type modified language license rightsHolder accessRights bibliographicCitation references institutionID collectionID
datasetID institutionCode collectionCode datasetName ownerInstitutionCode basisOfRecord informationWithheld
dataGeneralizations dynamicProperties occurrenceID catalogNumber recordNumber recordedBy recordedByID individualCount
organismQuantity organismQuantityType sex lifeStage reproductiveCondition caste behavior vitality establishmentMeans
degreeOfEstablishment pathway georeferenceVerificationStatus occurrenceStatus preparations disposition associatedMedia
associatedReferences associatedSequences associatedTaxa otherCatalogNumbers occurrenceRemarks organismID organismName
organismScope associatedOccurrences associatedOrganisms previousIdentifications organismRemarks materialEntityID
materialSampleID verbatimLabel eventID parentEventID eventType fieldNumber eventDate eventTime startDayOfYear
endDayOfYear year month day verbatimEventDate habitat samplingProtocol sampleSizeValue sampleSizeUnit samplingEffort
fieldNotes eventRemarks locationID higherGeographyID higherGeography continent waterBody islandGroup island country
countryCode stateProvince county municipality locality verbatimLocality minimumElevationInMeters
maximumElevationInMeters verbatimElevation verticalDatum minimumDepthInMeters maximumDepthInMeters verbatimDepth
minimumDistanceAboveSurfaceInMeters maximumDistanceAboveSurfaceInMeters locationAccordingTo locationRemarks
decimalLatitude decimalLongitude geodeticDatum coordinateUncertaintyInMeters coordinatePrecision pointRadiusSpatialFit
verbatimCoordinates verbatimLatitude verbatimLongitude verbatimCoordinateSystem verbatimSRS footprintWKT footprintSRS
footprintSpatialFit georeferencedBy georeferencedDate georeferenceProtocol georeferenceSources georeferenceRemarks
geologicalContextID earliestEonOrLowestEonothem latestEonOrHighestEonothem earliestEraOrLowestErathem
latestEraOrHighestErathem earliestPeriodOrLowestSystem latestPeriodOrHighestSystem earliestEpochOrLowestSeries
latestEpochOrHighestSeries earliestAgeOrLowestStage latestAgeOrHighestStage lowestBiostratigraphicZone
highestBiostratigraphicZone lithostratigraphicTerms group formation member bed identificationID verbatimIdentification
identificationQualifier typeStatus identifiedBy identifiedByID dateIdentified identificationReferences
identificationVerificationStatus identificationRemarks taxonID scientificNameID acceptedNameUsageID parentNameUsageID
originalNameUsageID nameAccordingToID namePublishedInID taxonConceptID scientificName acceptedNameUsage parentNameUsage
originalNameUsage nameAccordingTo namePublishedIn namePublishedInYear higherClassification kingdom phylum class order
superfamily family subfamily tribe subtribe genus genericName subgenus infragenericEpithet specificEpithet
infraspecificEpithet cultivarEpithet taxonRank verbatimTaxonRank scientificNameAuthorship vernacularName
nomenclaturalCode taxonomicStatus nomenclaturalStatus taxonRemarks
""".split())

# Headers that say which coordinate system their values are in.
SRS_FROM_HEADER = [
    (re.compile(r"wgs ?84"), "WGS84"),
    (re.compile(r"twd ?97"), "TWD97"),
    (re.compile(r"twd ?67"), "TWD67"),
]


def norm_header(h: str) -> str:
    s = unicodedata.normalize("NFKC", str(h)).strip().lower().replace("臺", "台")
    s = s.replace("\ufeff", "")
    return re.sub(r"[\s_\-\.]+", "", s)


_EXACT: dict[str, str] = {norm_header(_t): _t for _t in CANONICAL}
_LOOKUP: dict[str, str] = {}
for _term, _variants in ALIASES.items():
    for _v in [_term, *_variants]:
        _LOOKUP.setdefault(norm_header(_v), _term)
for _term in CANONICAL:
    _LOOKUP.setdefault(norm_header(_term), _term)


# A unit written in the header: 數量(隻), 體長(cm), Length [mm]. The bracket holds the unit.
UNIT_RX = re.compile(r"^(.*?)\s*[(（\[]\s*([^()（）\[\]]{1,12}?)\s*[)）\]]\s*$")


def split_unit(header: str) -> tuple[str, str | None]:
    """("數量(隻)") -> ("數量", "隻"); a header without a bracketed tail comes back whole."""
    m = UNIT_RX.match(unicodedata.normalize("NFKC", str(header)).strip())
    return (m.group(1), m.group(2).strip()) if m and m.group(1).strip() else (str(header), None)


def lookup(header: str) -> tuple[str | None, str, str | None]:
    """(term, how, unit) for one header: how is 'exact' (the Darwin Core term itself), 'alias', or
    'unit' (known once its bracketed unit is set aside); (None, 'extra', unit) when unknown."""
    n = norm_header(header)
    if n in _EXACT:
        return _EXACT[n], "exact", None
    if n in _LOOKUP:
        return _LOOKUP[n], "alias", None
    base, unit = split_unit(header)
    if unit:
        nb = norm_header(base)
        term = _EXACT.get(nb) or _LOOKUP.get(nb)
        if term:
            return term, "unit", unit
    return None, "extra", unit


def map_headers(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Return {source header: canonical term} for the headers we recognise (by name only).

    Two headers mapping to one term: a header spelling the term itself beats an alias (a GBIF
    download has both `species` and `scientificName`), otherwise the first wins; the other
    stays an extra column, so nothing is lost. `overrides` (from --map SRC=TERM) beat both.
    dq.sources.mapping.plan_columns adds the check against the values.
    """
    overrides = overrides or {}
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        if h in overrides:
            out[h] = overrides[h]
            taken.add(overrides[h])
    for rank in ("exact", "alias", "unit"):
        for h in headers:
            if h in out:
                continue
            term, how, _ = lookup(h)
            if term and how == rank and term not in taken:
                out[h] = term
                taken.add(term)
    return {h: out[h] for h in headers if h in out}


def srs_implied_by_headers(mapping: dict[str, str]) -> str | None:
    for header, term in mapping.items():
        if term in ("decimalLatitude", "decimalLongitude", "verbatimLatitude", "verbatimLongitude"):
            n = norm_header(header)
            for rx, srs in SRS_FROM_HEADER:
                if rx.search(n):
                    return srs
    return None


def shown_term(term: str | None) -> str | None:
    """The Darwin Core name of a canonical column, for people: `dwc_county` is DwC's county, renamed
    inside only because `county` is the county we derive from the point."""
    return "county" if term == "dwc_county" else term
