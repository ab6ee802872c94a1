/**
 * Errors a handler can raise, and the Graph error codes the emulator uses.
 *
 * Two families, because Graph has two:
 *  - Errors produced by Graph itself or the directory (authentication, permissions, OData body
 *    parsing, directory objects): plain OData errors with codes such as
 *    InvalidAuthenticationToken, Authorization_RequestDenied, Request_ResourceNotFound, BadRequest.
 *  - Errors produced by the synchronization backend ("syncfabric") that Graph proxies: Graph
 *    passes them on with code "UnknownError" and the backend's own error, serialized as JSON, as
 *    the message (observed: msgraph-metadata#347 for InvalidNotificationSettings, and the
 *    "No HTTP resource was found" 404 for PATCH on a job/schema). syncfabricError() builds those.
 */

/**
 * An error the emulated Graph answers with: thrown by a handler, written by the server as an OData
 * error body with this status, code and message. (Named apart from the Graph client's GraphError
 * and the provider's GraphRequestError, which are what a client sees of such an answer.)
 */
export class GraphErrorReply extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A syncfabric error as Graph relays it: code UnknownError, message = the backend error JSON. */
export function syncfabricError(status: number, innerCode: string, innerMessage: string | null): GraphErrorReply {
  // Same layout (CRLF, indentation) as the message observed in msgraph-metadata#347.
  const inner =
    `{\r\n  "error":{\r\n    "code":${JSON.stringify(innerCode)},"message":${JSON.stringify(innerMessage)},` +
    `"target":null,"details":[\r\n      \r\n    ],"innerError":null\r\n  }\r\n}`;
  return new GraphErrorReply(status, "UnknownError", inner);
}

/**
 * What syncfabric's ASP.NET router answers for a URI/verb it has no action for (observed for PATCH
 * on a job and on a job's schema): 404 UnknownError whose message is {"Message": "..."}.
 */
export function syncfabricNoResource(syncfabricPath: string): GraphErrorReply {
  const uri = `https://syncfabric.windowsazure.com/api/${syncfabricPath}?api-version=2.0`;
  return new GraphErrorReply(404, "UnknownError", JSON.stringify({ Message: `No HTTP resource was found that matches the request URI '${uri}'.` }));
}

/** Directory object not found (service principals, users, groups). */
export function directoryObjectNotFound(id: string): GraphErrorReply {
  return new GraphErrorReply(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

export function invalidObjectIdentifier(id: string): GraphErrorReply {
  return new GraphErrorReply(400, "Request_BadRequest", `Invalid object identifier '${id}'.`);
}

/** A request body Graph's OData reader cannot accept (unknown property, wrong type, bad enum). */
export function badRequestBody(message: string): GraphErrorReply {
  return new GraphErrorReply(400, "BadRequest", message);
}

export function insufficientPrivileges(): GraphErrorReply {
  return new GraphErrorReply(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

export function unsupportedQuery(message: string): GraphErrorReply {
  return new GraphErrorReply(400, "Request_UnsupportedQuery", message);
}

export function notImplementedByEmulator(what: string): GraphErrorReply {
  return new GraphErrorReply(501, "NotImplemented", `The Graph emulator does not implement ${what}. See emulator/README.md for the supported surface.`);
}

/** Error codes of the synchronization backend, as they appear inside syncfabricError messages. */
export const SyncErrorCode = {
  resourceNotFound: "ResourceNotFound",
  invalidTemplateId: "InvalidTemplateId",
  invalidNotificationSettings: "InvalidNotificationSettings",
  invalidSchema: "InvalidSchema",
} as const;
