/** The paper sizes a paged export (DOCX, PDF) is laid out for. */
export const PAPERS = ["a4", "letter"] as const;
/** One paper size: ISO A4 (most of the world) or US Letter (the Americas' offices). */
export type Paper = (typeof PAPERS)[number];

/** Each paper's size in millimetres, portrait. */
export const PAPER_SIZES: Record<Paper, { widthMm: number; heightMm: number }> = {
  a4: { widthMm: 210, heightMm: 297 },
  letter: { widthMm: 215.9, heightMm: 279.4 },
};
