/**
 * The Paris open-data export ("comptage vélo – données compteurs") and the
 * production raw table: column names, shared by the importer and the writer.
 * Attribution for files in this format: data © Ville de Paris, ODbL.
 */

/** The export's header, in order, exactly as delivered. */
export const OPEN_DATA_HEADER = [
  'Identifiant du compteur',
  'Nom du compteur',
  'Identifiant du site de comptage',
  'Nom du site de comptage',
  'Comptage horaire',
  'Date et heure de comptage',
  "Date d'installation du site de comptage",
  'Lien vers photo du site de comptage',
  'Coordonnées géographiques',
  'Identifiant technique compteur',
  'ID Photos',
  'test_lien_vers_photos_du_site_de_comptage_',
  'id_photo_1',
  'url_sites',
  'type_dimage',
  'mois_annee_comptage',
] as const;

export const OPEN_DATA = {
  counterId: 'Identifiant du compteur',
  counterName: 'Nom du compteur',
  siteId: 'Identifiant du site de comptage',
  siteName: 'Nom du site de comptage',
  count: 'Comptage horaire',
  timestamp: 'Date et heure de comptage',
  coordinates: 'Coordonnées géographiques',
} as const;

/** Columns an open-data file must have; the rest (photos, install date…) are optional. */
export const OPEN_DATA_REQUIRED = [
  OPEN_DATA.counterId,
  OPEN_DATA.counterName,
  OPEN_DATA.siteId,
  OPEN_DATA.count,
  OPEN_DATA.timestamp,
  OPEN_DATA.coordinates,
] as const;

/** The production raw table (BigQuery) columns; the same names as the embedded warehouse. */
export const RAW_TABLE = {
  counterId: 'identifiant_du_compteur',
  counterName: 'nom_du_compteur',
  siteId: 'identifiant_du_site_de_comptage',
  count: 'comptage_horaire',
  timestamp: 'date_et_heure_de_comptage',
  lat: 'latitude',
  lon: 'longitude',
} as const;

/** The site id is optional there: when absent it is the counter id's part before "-", as in the export. */
export const RAW_TABLE_REQUIRED = [
  RAW_TABLE.count,
  RAW_TABLE.timestamp,
  RAW_TABLE.counterId,
  RAW_TABLE.counterName,
  RAW_TABLE.lat,
  RAW_TABLE.lon,
] as const;

export const ODBL_ATTRIBUTION = 'data © Ville de Paris, ODbL';
