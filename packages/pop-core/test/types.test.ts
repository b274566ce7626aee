/**
 * The TypeScript contract of the pop-core proxies (SPEC §1: "usable
 * everywhere the original client type is"): compiles fixtures/client-types.ts
 * with the compiler API and expects no diagnostics.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/client-types.ts', import.meta.url));

describe('the types of ProxyRPCClient / ProxyROAClient', () => {
  it('are pop-core’s client types with their exact signatures; wrong members do not compile', () => {
    const configFile = ts.readConfigFile(`${root}tsconfig.json`, (path) => ts.sys.readFile(path));
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
    const program = ts.createProgram([fixture], {
      ...parsed.options,
      noEmit: true,
      // Type the workspace core from its sources, so this test needs no build.
      baseUrl: root,
      paths: { 'managed-credentials': ['packages/managed-credentials/src/index.ts'] },
    });
    const source = program.getSourceFile(fixture);
    expect(source).toBeDefined();
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
