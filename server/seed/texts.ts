import { newId, type Block, type BlockType, type BlockKind, type Run } from "../../schema/index.js";

/** A compact way to write a demo block: kind, level, text. `[…]` in text marks a bracket to open. */
export type SeedBlock = readonly [kind: BlockKind, level: number, text: string];

/** Turns seed blocks into blocks with fresh ids (bracket markers are dropped from the text). */
export function seedBlocks(seed: readonly SeedBlock[]): Block[] {
  return seed.map(([kind, level, text]) => {
    const type: BlockType = kind === "pp" || kind === "op" ? "paragraph" : kind;
    const runs: Run[] = [{ text: text.replace(/[[\]]/g, "") }];
    return { id: newId("p"), type, kind, level, runs };
  });
}

/**
 * Where the seed text asks for brackets: for each block index, the [from, to) spans of
 * the text between `[` and `]`, in offsets of the text without the markers.
 */
export function seedBracketSpans(seed: readonly SeedBlock[]): Array<{ index: number; from: number; to: number }> {
  const spans: Array<{ index: number; from: number; to: number }> = [];
  seed.forEach(([, , text], index) => {
    let offset = 0;
    let open = -1;
    for (const ch of text) {
      if (ch === "[") open = offset;
      else if (ch === "]" && open >= 0) {
        spans.push({ index, from: open, to: offset });
        open = -1;
      } else offset += ch.length;
    }
  });
  return spans;
}

/** The draft political declaration negotiated by the ad hoc group. */
export const DECLARATION: readonly SeedBlock[] = [
  ["title", 0, "Declaration of Buenos Aires on Trafficking in Persons"],
  ["chapeau", 0, "THE MINISTERS AND HIGH NATIONAL AUTHORITIES ON TRAFFICKING IN PERSONS OF THE MEMBER STATES OF THE ORGANIZATION OF AMERICAN STATES (OAS), meeting in Buenos Aires, Argentina, from March 25 to 27, 2009,"],
  ["pp", 0, "RECOGNIZING that trafficking in persons is a serious crime and a grave violation of human rights that affects the dignity and integrity of its victims, especially women and children;"],
  ["pp", 0, "REAFFIRMING the commitments undertaken in the Conclusions and Recommendations of the First Meeting of National Authorities on Trafficking in Persons, held in Isla Margarita, Bolivarian Republic of Venezuela, in March 2006;"],
  ["chapeau", 0, "BEARING IN MIND:"],
  ["pp", 0, "The Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, supplementing the United Nations Convention against Transnational Organized Crime;"],
  ["pp", 0, "Resolution AG/RES. 2348 (XXXVII-O/07), \"Hemispheric Cooperation Efforts to Combat Trafficking in Persons and Second Meeting of National Authorities on Trafficking in Persons\";"],
  ["pp", 0, "The conclusions of the Seventh Meeting of Ministers of Justice or Other Ministers or Attorneys General of the Americas (REMJA-VII);"],
  ["pp", 0, "CONCERNED that trafficking networks exploit persons for purposes of prostitution, sexual tourism, forced labour or services, slavery or practices similar to slavery, servitude and the removal of organs;"],
  ["pp", 0, "CONVINCED that an integral approach, based on prevention, prosecution of perpetrators, and protection and assistance for victims, requires [strengthened] international cooperation;"],
  ["chapeau", 0, "DECLARE:"],
  ["op", 0, "Their firm commitment to prevent and combat trafficking in persons, to prosecute and punish its perpetrators, and to protect and assist its victims with full respect for their human rights."],
  ["op", 0, "To urge member states that have not yet done so to sign, ratify or accede to the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, and to harmonize their national legislation with it."],
  ["op", 0, "That member states shall adopt national strategies, plans and programmes against trafficking in persons, with adequate resources and measurable results."],
  ["op", 0, "To strengthen cooperation among member states in the areas of:"],
  ["op", 1, "prevention, including public awareness campaigns designed to educate youth on the dangers of criminal networks;"],
  ["op", 1, "consular, judicial and police cooperation, including the exchange of information among competent authorities;"],
  ["op", 1, "the safe and voluntary repatriation of victims, in accordance with the principle of non-refoulement;"],
  ["op", 0, "To establish a network of thematic focal points and points of contact among member states to improve communication and cooperation mechanisms."],
  ["op", 0, "To give special attention to the needs of child victims of trafficking, guided by the best interests of the child, [including specialized shelters and care]."],
  ["op", 0, "To adopt the Inter-American Work Programme to Combat Trafficking in Persons presented by the technical working groups, and to request the General Secretariat to support its implementation [within available resources]."],
  ["op", 0, "To report on the results of this meeting to the Eighth Meeting of Ministers of Justice or Other Ministers or Attorneys General of the Americas (REMJA-VIII)."],
];

/**
 * The Spanish version of the declaration, block by block (the same order as DECLARATION):
 * the translation of the text as circulated, before the amendments the chair accepted.
 */
export const DECLARATION_ES: readonly string[] = [
  "Declaración de Buenos Aires sobre la Trata de Personas",
  "LOS MINISTROS Y ALTAS AUTORIDADES NACIONALES EN MATERIA DE TRATA DE PERSONAS DE LOS ESTADOS MIEMBROS DE LA ORGANIZACIÓN DE LOS ESTADOS AMERICANOS (OEA), reunidos en Buenos Aires, Argentina, del 25 al 27 de marzo de 2009,",
  "RECONOCIENDO que la trata de personas es un delito grave y una grave violación de los derechos humanos que afecta la dignidad y la integridad de sus víctimas, especialmente mujeres, niñas y niños;",
  "REAFIRMANDO los compromisos asumidos en las Conclusiones y Recomendaciones de la Primera Reunión de Autoridades Nacionales en Materia de Trata de Personas, celebrada en Isla Margarita, República Bolivariana de Venezuela, en marzo de 2006;",
  "TENIENDO PRESENTES:",
  "El Protocolo para Prevenir, Reprimir y Sancionar la Trata de Personas, Especialmente Mujeres y Niños, que complementa la Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional;",
  "La resolución AG/RES. 2348 (XXXVII-O/07), \"Esfuerzos de cooperación hemisférica para combatir la trata de personas y Segunda Reunión de Autoridades Nacionales en Materia de Trata de Personas\";",
  "Las conclusiones de la Séptima Reunión de Ministros de Justicia u Otros Ministros, Procuradores o Fiscales Generales de las Américas (REMJA-VII);",
  "PREOCUPADOS porque las redes de trata explotan a las personas con fines de prostitución, turismo sexual, trabajos o servicios forzados, esclavitud o prácticas análogas a la esclavitud, servidumbre y extracción de órganos;",
  "CONVENCIDOS de que un enfoque integral, basado en la prevención, el enjuiciamiento de los responsables y la protección y asistencia a las víctimas, requiere una cooperación internacional fortalecida;",
  "DECLARAN:",
  "Su firme compromiso de prevenir y combatir la trata de personas, de enjuiciar y sancionar a sus responsables, y de proteger y asistir a sus víctimas con pleno respeto de sus derechos humanos.",
  "Instar a los Estados miembros que aún no lo hayan hecho a firmar o ratificar el Protocolo para Prevenir, Reprimir y Sancionar la Trata de Personas, Especialmente Mujeres y Niños, o a adherir a él, y a armonizar con él su legislación nacional.",
  "Que los Estados miembros adoptarán estrategias, planes y programas nacionales contra la trata de personas, con recursos adecuados y resultados medibles.",
  "Fortalecer la cooperación entre los Estados miembros en las áreas de:",
  "la prevención, incluidas campañas de sensibilización pública destinadas a educar a los jóvenes sobre los peligros de las redes delictivas;",
  "la cooperación consular, judicial y policial, incluido el intercambio de información entre las autoridades competentes;",
  "la repatriación segura y voluntaria de las víctimas, de conformidad con el principio de no devolución;",
  "Establecer una red de puntos focales temáticos y de puntos de contacto entre los Estados miembros para mejorar los mecanismos de comunicación y cooperación.",
  "Prestar especial atención a las necesidades de los niños, niñas y adolescentes víctimas de la trata, guiándose por el interés superior del niño, incluidos albergues y atención especializados.",
  "Adoptar el Programa de Trabajo Interamericano para Combatir la Trata de Personas presentado por los grupos técnicos de trabajo, y solicitar a la Secretaría General que apoye su ejecución con los recursos disponibles.",
  "Informar sobre los resultados de esta reunión a la Octava Reunión de Ministros de Justicia u Otros Ministros, Procuradores o Fiscales Generales de las Américas (REMJA-VIII).",
];

/** A working group's draft report: a title, sections and recommendations. */
function groupReport(title: string, topic: string, recommendations: readonly string[]): SeedBlock[] {
  return [
    ["title", 0, title],
    ["heading", 1, "I. Background"],
    ["pp", 0, `The working group met in Buenos Aires on March 25 and 26, 2009, to examine ${topic}.`],
    ["heading", 1, "II. Recommendations"],
    ["chapeau", 0, "The working group recommends that member states:"],
    ...recommendations.map((text): SeedBlock => ["op", 0, text]),
  ];
}

/** The draft reports of the four technical working groups, keyed by body. */
export const GROUP_REPORTS: Record<"wg1" | "wg2" | "wg3" | "wg4", { title: string; blocks: readonly SeedBlock[] }> = {
  wg1: {
    title: "Report of Technical Working Group 1",
    blocks: groupReport("Report of Technical Working Group 1: Prevention and prosecution", "strategies for prevention of trafficking in persons and prosecution of its perpetrators", [
      "Carry out public awareness and sensitization campaigns, in particular in border and rural areas, using the press, radio and television.",
      "Include the subject of trafficking in persons in formal and informal education.",
      "Train police, immigration and consular officers, labour inspectors, prosecutors, public defenders and the judiciary to identify victims and investigate cases.",
      "Promote proactive investigative procedures and protocols, joint operations and the measurement of results through management indicators.",
    ]),
  },
  wg2: {
    title: "Report of Technical Working Group 2",
    blocks: groupReport("Report of Technical Working Group 2: Assistance and protection for victims", "comprehensive assistance and protection for victims of trafficking, with special emphasis on the situation of women", [
      "Adopt common standards on comprehensive assistance and protection for victims, including shelter, counselling, residence permits and compensation.",
      "Protect victims and witnesses before, during and after judicial proceedings.",
      "Ensure consular assistance to national victims abroad, in accordance with Article 36 of the Vienna Convention on Consular Relations.",
      "Establish mechanisms for voluntary repatriation and reintegration in conditions of security.",
    ]),
  },
  wg3: {
    title: "Report of Technical Working Group 3",
    blocks: groupReport("Report of Technical Working Group 3: International cooperation", "strategies for international cooperation and institutional strengthening", [
      "Extend consular, judicial and police cooperation, along borders and with non-bordering states.",
      "Set up binational or regional committees where appropriate.",
      "Establish a network of thematic focal points, protocols and points of contact among states.",
      "Improve statistical records on victims, traffickers, routes and the modalities of exploitation.",
    ]),
  },
  wg4: {
    title: "Report of Technical Working Group 4",
    blocks: groupReport("Report of Technical Working Group 4: Child victims of trafficking", "the special needs of child victims of trafficking", [
      "Adopt specific standards on assistance and protection for child victims, guided by the best interests of the child.",
      "Design intervention protocols for the identification and referral of child victims.",
      "Train law enforcement personnel to identify child victims and handle them appropriately.",
      "Promote prevention and information in ministries of education.",
    ]),
  },
};
