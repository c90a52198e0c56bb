// The API's version, as the OpenAPI document states it. Part of every ETag, so that an answer cached
// from one version of the code is not taken for the same answer of another.
export const API_VERSION = '1.0.0';
