/**
 * Calibration of the traffic simulator, derived from the City of Paris open
 * data on bicycle counters (2020 extracts) by derive-paris-calibration.ts.
 * Do not edit by hand; rerun the script.
 *
 * Attribution: data © Ville de Paris, ODbL.
 */

/** Mean hourly count over all Paris counters, [ISO weekday 0 = Monday][local hour], 2020-01-27 to 2020-03-13. */
export const PARIS_2020_WEEK_PROFILE: readonly (readonly number[])[] = [
  [
    10.9, 5.7, 3.3, 1.9, 2.7, 8.1, 20.7, 73.2, 259.9, 271.6, 93.2, 71.3, 85.6, 90.4, 83.2, 78.5, 99, 165.3, 262.1,
    240.9, 123.8, 64.6, 49.4, 33.2,
  ],
  [
    15.1, 6.4, 3.5, 2.5, 2.9, 7.9, 20.8, 82.5, 290.7, 296.2, 109.8, 87.4, 107.9, 105.8, 97.5, 93.6, 112.4, 186.1, 284.8,
    264.2, 143.2, 77.2, 67.3, 55.4,
  ],
  [
    26, 10.2, 5.5, 3, 3.2, 8.4, 21.3, 83.6, 284.5, 298.9, 116.9, 92.5, 115.7, 113, 106.4, 95.8, 113.6, 179.8, 283.5,
    272.2, 153.2, 82.8, 69.9, 62.8,
  ],
  [
    32.1, 13.4, 6.7, 3.6, 3.9, 7.9, 19.9, 69.5, 232.9, 251.6, 93.6, 72.5, 94.5, 96.9, 93.3, 86.9, 107, 164.9, 240.7,
    221, 128.5, 74.6, 62.7, 54.8,
  ],
  [
    32.6, 17.3, 9, 4.4, 4, 8.6, 20, 75.5, 260.6, 271.4, 114.3, 94.3, 121, 116.1, 115.8, 116.1, 141.3, 209.2, 269.5, 228,
    138.8, 78.4, 61.9, 53.6,
  ],
  [
    47.6, 33.5, 26.3, 14.4, 10.7, 9.9, 10.7, 17.2, 37.9, 62.4, 78.6, 91.6, 107.9, 114.6, 118.8, 134.3, 131.2, 130.9,
    119.4, 104, 86.4, 57.3, 45.6, 42.2,
  ],
  [
    40.5, 32.5, 28.5, 15.3, 10.3, 7.8, 7.3, 9.9, 20.3, 37.5, 57.4, 72.1, 84.6, 73.9, 71.4, 76.1, 74.9, 70.1, 75.3, 65.5,
    44.9, 32.1, 26.4, 20.1,
  ],
];

/** The 40 counter sites of 2020: name, the description carried by the export, and coordinates. */
export const PARIS_2020_SITES: readonly { name: string; description: string; lat: number; lon: number }[] = [
  {
    name: 'avenue Denfert Rochereau',
    description: 'avenue Denfert Rochereau',
    lat: 48.834915,
    lon: 2.332999,
  },
  {
    name: 'rue La Fayette',
    description: 'rue La Fayette',
    lat: 48.87756,
    lon: 2.350318,
  },
  {
    name: 'avenue Daumesnil',
    description: '135 avenue Daumesnil SE-NO',
    lat: 48.84343,
    lon: 2.383378,
  },
  {
    name: 'boulevard Diderot',
    description: 'boulevard Diderot',
    lat: 48.84606,
    lon: 2.375442,
  },
  {
    name: 'quai François Mauriac',
    description: 'quai François Mauriac',
    lat: 48.8344,
    lon: 2.376941,
  },
  {
    name: "quai de l'hotel de ville",
    description: "quai de l'hotel de ville",
    lat: 48.85372,
    lon: 2.35702,
  },
  {
    name: 'Voie Georges Pompidou',
    description: 'Voie Georges Pompidou NE-SO',
    lat: 48.84839,
    lon: 2.275932,
  },
  {
    name: 'boulevard Voltaire',
    description: 'boulevard Voltaire',
    lat: 48.86152,
    lon: 2.37392,
  },
  {
    name: 'avenue de la Grande Armée',
    description: 'avenue de la Grande Armée',
    lat: 48.87461,
    lon: 2.292229,
  },
  {
    name: 'Porte des Ternes',
    description: 'Porte des Ternes',
    lat: 48.881715,
    lon: 2.281374,
  },
  {
    name: 'Pont du Garigliano',
    description: 'Pont du Garigliano',
    lat: 48.8399,
    lon: 2.267125,
  },
  {
    name: 'boulevard de Magenta',
    description: 'boulevard de Magenta',
    lat: 48.8777,
    lon: 2.354699,
  },
  {
    name: 'boulevard Richard Lenoir',
    description: 'boulevard Richard Lenoir',
    lat: 48.86081,
    lon: 2.37251,
  },
  {
    name: 'Face au 48 quai de la marne',
    description: 'Face au 48 quai de la marne',
    lat: 48.89121,
    lon: 2.3857297,
  },
  {
    name: "Face 104 rue d'Aubervilliers",
    description: "Face 104 rue d'Aubervilliers",
    lat: 48.89045,
    lon: 2.3688522,
  },
  {
    name: 'Face au 70 quai de Bercy',
    description: 'Face au 70 quai de Bercy',
    lat: 48.82952,
    lon: 2.38699,
  },
  {
    name: 'rue Julia Bartet',
    description: 'rue Julia Bartet',
    lat: 48.82648,
    lon: 2.303149,
  },
  {
    name: "Face au 25 quai de l'Oise",
    description: "Face au 25 quai de l'Oise",
    lat: 48.89141,
    lon: 2.384954,
  },
  {
    name: 'Pont National',
    description: 'Pont National',
    lat: 48.82667,
    lon: 2.3845,
  },
  {
    name: 'boulevard du Montparnasse',
    description: 'boulevard du Montparnasse',
    lat: 48.8408,
    lon: 2.333233,
  },
  {
    name: 'boulevard Auguste Blanqui',
    description: 'boulevard Auguste Blanqui',
    lat: 48.83067,
    lon: 2.353218,
  },
  {
    name: 'boulevard Saint Germain',
    description: '243 boulevard Saint Germain NO-SE',
    lat: 48.86179,
    lon: 2.32014,
  },
  {
    name: 'Totem 64 Rue de Rivoli',
    description: 'Totem 64 Rue de Rivoli',
    lat: 48.85735,
    lon: 2.35211,
  },
  {
    name: 'avenue de Flandre',
    description: 'avenue de Flandre',
    lat: 48.88915,
    lon: 2.374796,
  },
  {
    name: 'avenue de la Porte de Bagnolet',
    description: '2 avenue de la Porte de Bagnolet O-E',
    lat: 48.86451,
    lon: 2.40932,
  },
  {
    name: 'rue Lecourbe',
    description: 'rue Lecourbe',
    lat: 48.842125,
    lon: 2.301075,
  },
  {
    name: "avenue d'Italie",
    description: "avenue d'Italie",
    lat: 48.82025,
    lon: 2.3591,
  },
  {
    name: 'avenue des Champs Elysées',
    description: 'avenue des Champs Elysées',
    lat: 48.86985,
    lon: 2.307248,
  },
  {
    name: 'Pont de la Concorde',
    description: 'Pont de la Concorde',
    lat: 48.86385,
    lon: 2.32,
  },
  {
    name: 'Pont des Invalides',
    description: 'Pont des Invalides',
    lat: 48.86283,
    lon: 2.310477,
  },
  {
    name: "avenue de la Porte D'Orléans",
    description: "3 avenue de la Porte D'Orléans S-N",
    lat: 48.82203,
    lon: 2.32545,
  },
  {
    name: 'Face au 8 avenue de la porte de Charenton',
    description: 'Face au 8 avenue de la porte de Charenton',
    lat: 48.83033,
    lon: 2.400550838,
  },
  {
    name: 'rue de la Chapelle',
    description: '72 rue de la Chapelle',
    lat: 48.89594,
    lon: 2.35953,
  },
  {
    name: 'Face au 4 avenue de la porte de Bagnolet',
    description: 'Face au 4 avenue de la porte de Bagnolet',
    lat: 48.86461,
    lon: 2.40969,
  },
  {
    name: 'quai de Grenelle',
    description: 'quai de Grenelle',
    lat: 48.85204,
    lon: 2.28589,
  },
  {
    name: "Face au 40 quai D'Issy",
    description: "Face au 40 quai D'Issy",
    lat: 48.83421,
    lon: 2.26542,
  },
  {
    name: 'Pont de Bercy',
    description: 'Pont de Bercy',
    lat: 48.83848,
    lon: 2.37587,
  },
  {
    name: 'rue Turbigo',
    description: '38 rue Turbigo NE-SO',
    lat: 48.86521,
    lon: 2.35358,
  },
  {
    name: "Quai d'Orsay",
    description: "Quai d'Orsay",
    lat: 48.86288,
    lon: 2.31179,
  },
  {
    name: 'quai de la Tournelle',
    description: 'quai de la Tournelle',
    lat: 48.85013,
    lon: 2.35423,
  },
];
