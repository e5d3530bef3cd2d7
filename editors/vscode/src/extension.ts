// The Journey extension: `.journey` files get a grammar and a language
// configuration from package.json, and everything else (diagnostics, go to
// definition, references, hover, completion, symbols, rename, formatting, semantic
// highlighting) from the language server, `journey lsp`, started here.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("journey.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("journey.path")) {
        await restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(): Promise<void> {
  const configured = vscode.workspace.getConfiguration("journey").get<string>("path");
  const command = configured && configured.trim() !== "" ? configured : "journey";
  // The server speaks on standard input and output; no transport flag is needed.
  const run = { command, args: ["lsp"] };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "journey" },
      { scheme: "untitled", language: "journey" },
    ],
    // The lint levels of `journey check --allow/--warn/--deny`, read at start...
    initializationOptions: { lints: lints() },
    // ...and sent again (the whole `journey` section) whenever a setting changes.
    synchronize: { configurationSection: "journey" },
    // The server asks for `**/*.journey` file events itself (dynamic registration).
  };
  client = new LanguageClient("journey", "Journey", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `Journey: could not start \`${command} lsp\` (${message}). ` +
        "Install journey, or set `journey.path` to the binary.",
    );
  }
}

function lints(): { allow: string[]; warn: string[]; deny: string[] } {
  const config = vscode.workspace.getConfiguration("journey.lints");
  return {
    allow: config.get<string[]>("allow") ?? [],
    warn: config.get<string[]>("warn") ?? [],
    deny: config.get<string[]>("deny") ?? [],
  };
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}
