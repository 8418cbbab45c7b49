#!/usr/bin/env node
// Fails when the modules of src/ import each other in a cycle (issue #18), and prints each cycle found.
//
// Why a script and not `import-x/no-cycle`: that rule skips type-only imports, and the cycles this project
// has had were all type-only — a type declared in a hub module that its own dependencies import. A type-only
// cycle costs nothing at run time but means two layers know each other, which is what DESIGN.md's import
// directions forbid. So every way one module can name another counts here: `import`, `import type`,
// `export ... from`, `import x = require()`, `import()` calls and `import('...')` types (an inline type import
// is no way around the rule). Modules are resolved the way tsc resolves them, with the project's tsconfig.
//
// Usage: node scripts/check-import-cycles.mjs [folder ...]   (default: src; run by `npm run lint`)
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = process.cwd();
const folders = (process.argv.length > 2 ? process.argv.slice(2) : ['src']).map((folder) => resolve(root, folder) + sep);

const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  },
});
if (!config) throw new Error('tsconfig.json could not be read');
const inScope = (file) => folders.some((folder) => file.startsWith(folder)) && !file.endsWith('.d.ts');
const files = config.fileNames.map((file) => resolve(file)).filter(inScope);

/** The module specifiers a source file names, each with the line it is named on. */
function namedModules(sourceFile) {
  const named = [];
  const add = (literal) => {
    if (literal && ts.isStringLiteralLike(literal)) {
      named.push({ specifier: literal.text, line: sourceFile.getLineAndCharacterOfPosition(literal.getStart(sourceFile)).line + 1 });
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return named;
}

/** file → the in-scope files it imports, with the line of the first import of each. */
const graph = new Map();
for (const file of files) {
  const sourceFile = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const edges = new Map();
  for (const { specifier, line } of namedModules(sourceFile)) {
    const resolved = ts.resolveModuleName(specifier, file, config.options, ts.sys).resolvedModule;
    const target = resolved && resolve(resolved.resolvedFileName);
    if (target && inScope(target) && !edges.has(target)) edges.set(target, line);
  }
  graph.set(file, edges);
}

/** Tarjan's strongly connected components: every cycle lies inside one component of two or more files. */
function stronglyConnectedComponents() {
  const index = new Map();
  const lowLink = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const connect = (file) => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file));
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file)?.keys() ?? []) {
      if (!index.has(target)) {
        connect(target);
        lowLink.set(file, Math.min(lowLink.get(file), lowLink.get(target)));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file), index.get(target)));
      }
    }
    if (lowLink.get(file) === index.get(file)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      components.push(component);
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return components;
}

/** One shortest cycle through `start` inside its component, found breadth-first. */
function cycleThrough(start, component) {
  const members = new Set(component);
  const cameFrom = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const target of graph.get(file).keys()) {
      if (target === start) {
        const path = [file];
        while (cameFrom.get(path[0]) !== undefined) path.unshift(cameFrom.get(path[0]));
        return [...path, start];
      }
      if (members.has(target) && !cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start];
}

const name = (file) => relative(root, file).split(sep).join('/');
const cycles = stronglyConnectedComponents()
  .filter((component) => component.length > 1 || graph.get(component[0]).has(component[0]))
  .map((component) => {
    const start = [...component].sort()[0];
    return { size: component.length, members: component, path: cycleThrough(start, component) };
  });

if (cycles.length === 0) {
  console.log(`check-import-cycles: no import cycles among ${files.length} modules`);
} else {
  for (const { size, members, path } of cycles) {
    console.error(`Import cycle (${size} modules take part${size > path.length - 1 ? '; one cycle shown' : ''}):`);
    for (let i = 0; i + 1 < path.length; i++) {
      console.error(`  ${name(path[i])}:${graph.get(path[i]).get(path[i + 1])} imports ${name(path[i + 1])}`);
    }
    const shown = new Set(path);
    const others = members.filter((file) => !shown.has(file));
    if (others.length > 0) console.error(`  also in it: ${others.map(name).join(', ')}`);
  }
  console.error(`check-import-cycles: ${cycles.length} import cycle${cycles.length === 1 ? '' : 's'} found; move the shared types to a module both sides may import (DESIGN.md: import directions)`);
  process.exitCode = 1;
}
