/**
 * The reference meeting, as its published agenda describes it: the
 * Second Meeting of National Authorities on Trafficking in Persons (Buenos Aires, 25–27
 * March 2009) of the 35 OAS member states.
 */
export const OAS_MEETING = {
  title: "Second Meeting of National Authorities on Trafficking in Persons",
  seriesSymbol: "OEA/Ser.K/XXXIX.2",
  venue: "Buenos Aires, Argentina",
  startsOn: "2009-03-25",
  endsOn: "2009-03-27",
  /** The OAS's four official languages; English is the original of every seeded text. */
  languages: ["en", "es", "fr", "pt"],
};

/** The 35 member states of the OAS: ISO 3166 alpha-3 code and name. */
export const OAS_MEMBER_STATES: ReadonlyArray<readonly [string, string]> = [
  ["ATG", "Antigua and Barbuda"],
  ["ARG", "Argentina"],
  ["BHS", "The Bahamas"],
  ["BRB", "Barbados"],
  ["BLZ", "Belize"],
  ["BOL", "Bolivia"],
  ["BRA", "Brazil"],
  ["CAN", "Canada"],
  ["CHL", "Chile"],
  ["COL", "Colombia"],
  ["CRI", "Costa Rica"],
  ["CUB", "Cuba"],
  ["DMA", "Dominica"],
  ["DOM", "Dominican Republic"],
  ["ECU", "Ecuador"],
  ["SLV", "El Salvador"],
  ["GRD", "Grenada"],
  ["GTM", "Guatemala"],
  ["GUY", "Guyana"],
  ["HTI", "Haiti"],
  ["HND", "Honduras"],
  ["JAM", "Jamaica"],
  ["MEX", "Mexico"],
  ["NIC", "Nicaragua"],
  ["PAN", "Panama"],
  ["PRY", "Paraguay"],
  ["PER", "Peru"],
  ["KNA", "Saint Kitts and Nevis"],
  ["LCA", "Saint Lucia"],
  ["VCT", "Saint Vincent and the Grenadines"],
  ["SUR", "Suriname"],
  ["TTO", "Trinidad and Tobago"],
  ["USA", "United States"],
  ["URY", "Uruguay"],
  ["VEN", "Venezuela"],
];

/** The bodies of the meeting, in agenda order. `key` names them in demo usernames. */
export const OAS_BODIES = [
  { key: "plenary", kind: "plenary", name: "Plenary of Ministers and High Authorities", shortName: "Plenary" },
  { key: "wg1", kind: "working_group", name: "Technical Working Group 1: Prevention and prosecution", shortName: "WG 1" },
  { key: "wg2", kind: "working_group", name: "Technical Working Group 2: Assistance and protection for victims", shortName: "WG 2" },
  { key: "wg3", kind: "working_group", name: "Technical Working Group 3: International cooperation and institutional strengthening", shortName: "WG 3" },
  { key: "wg4", kind: "working_group", name: "Technical Working Group 4: Child victims of trafficking", shortName: "WG 4" },
  { key: "adhoc", kind: "ad_hoc_group", name: "Ad hoc group on the political declaration", shortName: "Ad hoc group" },
] as const;
