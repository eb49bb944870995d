#!/usr/bin/env node
// The package ships TypeScript sources; tsx runs them (Node 20 has no type stripping).
import { register } from "tsx/esm/api";

register();
await import("../cli.ts");
