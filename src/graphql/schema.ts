// Imports every area's types and builds the schema. Nothing else belongs here.
import "./scalars";
import "./enums";
import "./enums-domain";
import "./errors";
import "./root";
import "../territory/territory.graphql";
import "../citizens/citizens.graphql";
import "../catalogue/catalogue.graphql";
import "../regulation/regulation.graphql";
import "../families/families.graphql";
import "../ledger/ledger.graphql";
import "../pacts/pacts.graphql";
import "../matching/matching.graphql";
import "../offers/offers.graphql";
import "../housing/housing.graphql";
import "../calendar/calendar.graphql";
import "../audit/audit.graphql";
import "../reports/reports.graphql";
import "../privacy/privacy.graphql";
import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder";
import { guardResolvers } from "./guards";

export const schema = guardResolvers(lexicographicSortSchema(builder.toSchema()));
