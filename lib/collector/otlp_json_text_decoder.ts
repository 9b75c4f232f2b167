import { Code, ConnectError } from "@connectrpc/connect";
import { OTLP_RECURSION_LIMIT } from "../otlp/otlp_signal.ts";
import { otlpItemBudget, tooManyItemsMessage } from "../otlp/otlp_item_budget.ts";
import { OTLP_JSON_MAX_DEPTH, scanJsonShape } from "../otlp/scan_json_shape.ts";

/**
 * The text decoder Connect's JSON codec gets (its `jsonOptions.textDecoder`): it reads a JSON
 * request message only after the checks OTLP/JSON gets on OTLP/HTTP, so a hostile JSON body is
 * refused before JSON.parse builds it: not UTF-8 or nested deeper than the recursion limit allows
 * is `invalid_argument`; more objects than the item budget of `maxBytes` is
 * `resource_exhausted`.
 */
export function otlpJsonTextDecoder(maxBytes: number): { decode(bytes: Uint8Array): string } {
  const strict = new TextDecoder("utf-8", { fatal: true });
  const maxItems = otlpItemBudget(maxBytes);
  return {
    decode(bytes) {
      let text: string;
      try {
        text = strict.decode(bytes);
      } catch {
        throw new ConnectError(
          "Cannot decode OTLP/JSON request: the body is not valid UTF-8",
          Code.InvalidArgument,
        );
      }
      const shape = scanJsonShape(text, OTLP_JSON_MAX_DEPTH, maxItems);
      if (shape === "too deep") {
        throw new ConnectError(
          `Cannot decode OTLP/JSON request: messages nest deeper than ${OTLP_RECURSION_LIMIT} levels`,
          Code.InvalidArgument,
        );
      }
      if (shape === "too many") {
        throw new ConnectError(tooManyItemsMessage(maxItems), Code.ResourceExhausted);
      }
      return text;
    },
  };
}
