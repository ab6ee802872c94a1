/**
 * The emulator's architecture, as emulator/README.md ("Architecture: rooms and layers") draws it:
 * every folder is a room in a layer; a file imports from its own room or from lower layers only,
 * and no chain of imports comes back to where it started. Read from the README's table and the
 * import declarations of every file (type-only imports included: they are arrows too).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
const EMULATOR = path.join(ROOT, "emulator");
/** Outside the emulator, what its package compiles with it. */
const ALLOWED_OUTSIDE = path.join(ROOT, "provider");

/** The README's table: room ("core", "index.ts", ...) -> layer number. */
function layersFromReadme(): Map<string, number> {
  const readme = fs.readFileSync(path.join(EMULATOR, "README.md"), "utf8");
  const section = readme.split(/^## Architecture: rooms and layers$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, "emulator/README.md has the section 'Architecture: rooms and layers'");
  const layers = new Map<string, number>();
  for (const row of section.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)) {
    for (const room of row[2].matchAll(/`([^`]+)`/g)) layers.set(room[1].replace(/\/$/, ""), Number(row[1]));
  }
  return layers;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ["dist", "node_modules", "review"].includes(entry.name) ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The emulator-relative room of a file: its first folder, or the file itself at the top. */
function roomOf(file: string): string {
  return path.relative(EMULATOR, file).split(path.sep)[0];
}

/** The files a file imports (relative imports only: packages and node: modules are not ours). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => {
      const base = path.resolve(path.dirname(file), spec);
      const found = [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
      assert.ok(found, `${path.relative(ROOT, file)} imports ${spec}, which does not exist`);
      return found;
    });
}

describe("emulator architecture: rooms and layers", () => {
  const layers = layersFromReadme();
  const files = sourceFiles(EMULATOR);
  const graph = new Map(files.map((f) => [f, importsOf(f)] as const));
  const rel = (f: string) => path.relative(EMULATOR, f);

  it("places every room in a layer, and names no room that does not exist", () => {
    const rooms = new Set(files.map(roomOf));
    assert.deepEqual([...rooms].filter((r) => !layers.has(r)).sort(), [], "rooms missing from the README's table");
    assert.deepEqual([...layers.keys()].filter((r) => !rooms.has(r)).sort(), [], "rooms in the README's table that do not exist");
  });

  it("imports only from its own room or from a lower layer, and outside the emulator only the provider modules it compiles", () => {
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if (!target.startsWith(EMULATOR + path.sep)) {
          if (!target.startsWith(ALLOWED_OUTSIDE + path.sep)) wrong.push(`${rel(file)} -> ${path.relative(ROOT, target)} (outside the emulator)`);
          continue;
        }
        const [from, to] = [roomOf(file), roomOf(target)];
        if (from === to) continue;
        const [fromLayer, toLayer] = [layers.get(from)!, layers.get(to)!];
        if (toLayer >= fromLayer) wrong.push(`${rel(file)} (layer ${fromLayer}) -> ${rel(target)} (layer ${toLayer})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("has no import cycle", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, "open");
      stack.push(file);
      for (const target of graph.get(file) ?? []) {
        if (state.get(target) === "open") cycles.push([...stack.slice(stack.indexOf(target)), target].map(rel).join(" -> "));
        else if (!state.has(target) && graph.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, "done");
    };
    for (const file of files) if (!state.has(file)) visit(file);
    assert.deepEqual(cycles, []);
  });
});
