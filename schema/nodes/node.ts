import type { AttributeSpec, NodeSpec } from "prosemirror-model";

/**
 * One attribute of a block: its ProseMirror default and the rule a stored value must meet.
 * The same rule judges a client's Yjs update, an amendment's ProseMirror JSON and the
 * attributes the server writes itself.
 */
export interface AttributeRule {
  /** ProseMirror's default (null for `id`: the editor's id plugin fills it in). */
  default: unknown;
  /** Whether a stored value is acceptable. */
  valid(value: unknown): boolean;
  /**
   * Added after documents were stored without it: a block that lacks it is read as having
   * the default (every block written since has it, as y-prosemirror writes every attribute).
   */
  optional?: true;
}

/** What a descriptor reads from stored attributes: how the negotiation and the numbering see a block. */
export interface BlockReadingOf<Kind extends string = string> {
  kind: Kind;
  level: number;
  /**
   * The block's numbering rule when it is not the default (a heading that restarts the
   * numbering, an unnumbered paragraph); absent for the default, so that a block of a
   * document stored before rules existed reads exactly as it did.
   */
  numbering?: string;
}

/**
 * Everything Accord knows about one block node type, in one place. The ProseMirror schema,
 * the list of block types and kinds, the validator of client updates and amendment
 * content, the Yjs reader and writer and the canonical form are all derived from the
 * descriptors in `schema/nodes/index.ts`; adding a block kind means adding a descriptor
 * there (see docs/model.md).
 */
export interface NodeDescriptor<Name extends string = string, Kind extends string = string> {
  /** Node type name: ProseMirror's node name, y-prosemirror's Y.XmlElement name, `Block.type`. */
  name: Name;
  /**
   * The kinds a block of this type can have (`Block.kind`, the canonical form's `kind`):
   * how the negotiation and the numbering see it.
   */
  kinds: readonly Kind[];
  /**
   * The structural rule: `"first"` is the document's one opening block (the title; never
   * proposed by an amendment), `"body"` any block after it.
   */
  placement: "first" | "body";
  /**
   * Attributes in the order the ProseMirror spec declares them (y-prosemirror writes them
   * in that order; the order is part of the encoding). Every block has `id`.
   */
  attributes: Readonly<Record<string, AttributeRule>>;
  /** The rest of the ProseMirror spec: everything but `attrs`, which the attributes give. */
  spec: NodeSpec & { attrs?: never };
  /** The canonical reading of stored attributes (ProseMirror or Yjs): kind, level and numbering rule. */
  read(attrs: Readonly<Record<string, unknown>>): BlockReadingOf<Kind>;
  /**
   * The attributes written for a block of this type, in spec order, as ProseMirror JSON
   * and as Y.XmlElement attributes (y-prosemirror stores the same values). Must satisfy
   * the attribute rules for any block `read` could have produced.
   */
  write(block: { id: string; kind: string; level: number; numbering?: string | undefined }): Record<string, string | number>;
}

/** Declares a node descriptor, keeping its name and kinds as literal types. */
export function defineNode<const Name extends string, const Kind extends string>(
  descriptor: NodeDescriptor<Name, Kind>,
): NodeDescriptor<Name, Kind> {
  return descriptor;
}

/** The ProseMirror node spec of a descriptor: its spec with `attrs` from its attribute rules. */
export function nodeSpecOf(descriptor: NodeDescriptor): NodeSpec {
  const attrs: Record<string, AttributeSpec> = {};
  for (const [key, rule] of Object.entries(descriptor.attributes)) attrs[key] = { default: rule.default };
  return { ...descriptor.spec, attrs };
}

/** Whether `v` is one of `values`. */
export function oneOf<const T extends string>(values: readonly T[]): (v: unknown) => v is T {
  return (v): v is T => typeof v === "string" && (values as readonly string[]).includes(v);
}

/** Whether `v` is an integer from `min` to `max`. */
export function integerIn(min: number, max: number): (v: unknown) => boolean {
  return (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
}
