import type { ExportBracket, ExportModel, ExportParagraph } from "../../server/exports/types.js";

/** A hand-written operative paragraph for the pure renderers' tests, OP1 unless overridden. */
export const paragraph = (over: Partial<ExportParagraph>): ExportParagraph => ({
  id: "p1",
  kind: "op",
  level: 0,
  number: "1",
  ref: "OP1",
  runs: [],
  brackets: [],
  footnotes: [],
  status: null,
  notes: [],
  annotations: [],
  ...over,
});

/** A bracket outside any option group, proposed by nobody known, unless overridden. */
export const bracket = (b: Pick<ExportBracket, "id" | "label" | "from" | "to" | "holders"> & Partial<ExportBracket>): ExportBracket => ({
  proposedBy: null,
  option: null,
  supporters: [],
  opens: true,
  closes: true,
  optionLabel: null,
  ...b,
});

/** A hand-written export model of the demo declaration's masthead around the given paragraphs. */
export const model = (paragraphs: ExportParagraph[], over: Partial<ExportModel> = {}): ExportModel => ({
  meta: {
    meetingTitle: "Second Meeting",
    seriesSymbol: "OEA/Ser.K/XXXIX.2",
    symbol: "RTP-II/doc.5/09",
    title: "Declaration",
    kind: "declaration",
    state: "negotiation",
    versionLabel: null,
    textDate: "2009-03-27T10:00:00.000Z",
    hash: "a".repeat(64),
    generatedAt: "2009-03-27T10:00:00.000Z",
    language: "en",
    originalLanguage: "en",
    distribution: null,
    agendaItem: null,
    sponsors: [],
    documentId: "d1",
    versionId: null,
    verificationUrl: "http://localhost/api/documents/d1/verification",
  },
  view: "current",
  paragraphs,
  titleFootnotes: [],
  footnotes: [],
  closing: null,
  lifecycle: [{ name: "created", label: null, symbol: "RTP-II/doc.5/09", at: "2009-03-25T10:00:00.000Z" }],
  ...over,
});
