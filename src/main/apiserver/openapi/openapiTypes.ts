// Types shared by the OpenAPI builders.

/** Json is a JSON object of an OpenAPI document. */
export type Json = Record<string, unknown>;
