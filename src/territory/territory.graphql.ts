import { builder } from "../graphql/builder";

builder.prismaObject("Territory", {
  description: "A territory served by a programme, e.g. a health-and-social district of several municipalities.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    code: t.exposeString("code", { description: "Short stable code, e.g. WE-ITA." }),
    name: t.exposeString("name", { description: "Name of the territory." }),
    municipalities: t.relation("municipalities", { description: "Municipalities of the territory, by name.", query: { orderBy: { name: "asc" } } }),
  }),
});

builder.prismaObject("Municipality", {
  description: "A municipality (comune) of a territory.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    istatCode: t.exposeString("istatCode", { description: "ISTAT code of the municipality." }),
    name: t.exposeString("name", { description: "Name." }),
    province: t.exposeString("province", { description: "Province code, e.g. GR." }),
    area: t.exposeString("area", { description: "Sub-area of the district, e.g. Colline Metallifere." }),
    latitude: t.exposeFloat("latitude", { description: "Latitude of the town centre (WGS 84)." }),
    longitude: t.exposeFloat("longitude", { description: "Longitude of the town centre (WGS 84)." }),
    territory: t.relation("territory", { description: "The territory this municipality belongs to." }),
    travelMinutesTo: t.int({
      description: "Travel time by road to another municipality, in minutes; null if unknown.",
      nullable: true,
      args: { municipalityId: t.arg.id({ required: true, description: "The destination." }) },
      resolve: async (municipality, { municipalityId }, context) => {
        const row = await context.prisma.travelTime.findUnique({ where: { fromId_toId: { fromId: municipality.id, toId: String(municipalityId) } } });
        return row?.minutes ?? null;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  territories: t.prismaField({
    type: ["Territory"],
    description: "All territories. Public: the registration form needs them.",
    skipTypeScopes: true,
    resolve: (query, _root, _args, context) => context.prisma.territory.findMany({ ...query, orderBy: { name: "asc" } }),
  }),
  municipalities: t.prismaField({
    type: ["Municipality"],
    description: "Municipalities, optionally of one territory, by name. Public: the registration form needs them.",
    skipTypeScopes: true,
    args: { territoryId: t.arg.id({ required: false, description: "Only this territory's municipalities." }) },
    resolve: (query, _root, { territoryId }, context) =>
      context.prisma.municipality.findMany({ ...query, where: territoryId ? { territoryId: String(territoryId) } : {}, orderBy: { name: "asc" } }),
  }),
}));
