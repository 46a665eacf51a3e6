'use strict';
// The VS Code client: starts `mmdsl lsp` over stdio for .mmdsl files and restarts it when its
// settings change. Everything the server does (diagnostics, hover, completion, definitions,
// rename, outline, formatting, quick fixes) comes from the server; highlighting comes from the
// TextMate grammar in syntaxes/.

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');
const { serverCommand, startFailure } = require('./server');

let client;

function settings() {
  const config = vscode.workspace.getConfiguration('mmdsl');
  return {
    path: config.get('server.path'),
    extraArgs: config.get('server.extraArgs'),
    pause: config.get('server.pause'),
  };
}

function workspaceFolder() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 ? folders[0].uri.fsPath : undefined;
}

async function start() {
  const folder = workspaceFolder();
  const { command, args } = serverCommand(settings(), folder);
  const executable = { command, args, options: folder ? { cwd: folder } : {} };
  client = new LanguageClient('mmdsl', 'mmdsl', { run: executable, debug: executable }, {
    documentSelector: [{ language: 'mmdsl' }],
  });
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    const choice = await vscode.window.showErrorMessage(
      startFailure(command, args, error), 'Open Settings');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'mmdsl.server');
    }
  }
}

async function stop() {
  if (client !== undefined) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('mmdsl.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('mmdsl.server')) {
        restart();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
