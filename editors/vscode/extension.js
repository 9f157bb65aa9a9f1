// Starts `crit lsp` as the language server of .crit files. The server does the work
// (docs/editors.md); this file only tells VS Code how to run it.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("crit");
  const args = [];
  const bindings = config.get("bindings");
  if (bindings) args.push("--bindings", bindings);
  for (const allowed of config.get("allowBindings") || []) args.push("--allow-bindings", allowed);
  args.push("lsp");
  const server = { command: config.get("path") || "crit", args, transport: TransportKind.stdio };
  client = new LanguageClient(
    "crit",
    "crit language server",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "crit" }, { scheme: "untitled", language: "crit" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
