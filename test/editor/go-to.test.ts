import { describe, expect, it } from "vitest";
import { normalizeRef } from "../../editor/document/go-to.js";

describe("go to a paragraph by its citation", () => {
  it("reads citations as delegates say them", () => {
    expect(normalizeRef("op 4 (b)")).toBe("OP4(b)");
    expect(normalizeRef(" pp3 ")).toBe("PP3");
    expect(normalizeRef("OP12(A)(II)")).toBe("OP12(a)(ii)");
  });
});
