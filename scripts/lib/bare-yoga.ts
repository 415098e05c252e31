// The ceiling for the load benchmark: express + graphql-yoga answering `{ hello }` and nothing
// else, on the same machine. Usage: tsx scripts/lib/bare-yoga.ts <port>
import express from "express";
import { createSchema, createYoga } from "graphql-yoga";

const yoga = createYoga({
  schema: createSchema({ typeDefs: "type Query { hello: String! }", resolvers: { Query: { hello: () => "ciao" } } }),
  graphiql: false,
  logging: false,
});
const app = express();
app.use("/graphql", (request, response) => void yoga(request, response));
const server = app.listen(Number(process.argv[2] ?? 4556), "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
