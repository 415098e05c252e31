// The root types. Every root field needs a signed-in user unless it says otherwise
// (`skipTypeScopes: true` marks the few public ones): access is denied by default.
import { builder } from "./builder";

builder.queryType({
  description: "Read access. Fields need a signed-in user unless their description says Public.",
  authScopes: { authenticated: true },
});

builder.mutationType({
  description: "Writes. Each either succeeds whole or changes nothing and returns a typed error.",
  authScopes: { authenticated: true },
});

builder.subscriptionType({
  description: "Live updates over Server-Sent Events (GraphQL over SSE). Fields need a signed-in user.",
  authScopes: { authenticated: true },
});
