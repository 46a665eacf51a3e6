'use strict';
// The client's side of the contract, without VS Code: extension.js loads with the packaged
// vscode-languageclient, and the command it builds starts a server that speaks LSP over stdio
// and reports a broken table with its diagnostic code. The program is MMDSL_PROGRAM (set by
// `make vscode-test` to the project's .venv/bin/mmdsl), else `mmdsl` on the PATH.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('child_process');
const Module = require('module');
const path = require('path');
const rpc = require('vscode-jsonrpc/node');
const { serverCommand } = require('../../server');

test('extension.js loads and exports activate and deactivate', () => {
  // `vscode` exists only inside the editor: a stand-in that answers every property lookup.
  const standIn = new Proxy(function () {}, {
    get: (_, key) => (key === 'prototype' ? {} : standIn), apply: () => standIn, construct: () => standIn,
  });
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? standIn : load.call(this, request, ...rest);
  };
  try {
    const extension = require(path.join(__dirname, '..', '..', 'extension.js'));
    assert.equal(typeof extension.activate, 'function');
    assert.equal(typeof extension.deactivate, 'function');
  } finally {
    Module._load = load;
  }
});

test('the command the client runs serves diagnostics over stdio', { timeout: 60000 }, async () => {
  const { command, args } = serverCommand({ path: process.env.MMDSL_PROGRAM || '', pause: 0 }, undefined);
  const server = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const started = new Promise((resolve, reject) => { server.once('spawn', resolve); server.once('error', reject); });
  await started;
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  const published = new Promise((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      if (params.diagnostics.length > 0) resolve(params);
    });
  });
  connection.listen();
  try {
    const result = await connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null, capabilities: {},
    });
    assert.ok(result.capabilities.hoverProvider, 'the server answers hover');
    await connection.sendNotification('initialized', {});
    const uri = 'file:///tmp/broken.mmdsl';
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'mmdsl', version: 1, text: 'guideline g "G"\ninput age: integer 65-74\n' },
    });
    const params = await published;
    assert.equal(params.uri, uri);
    assert.ok(params.diagnostics.every((d) => /^MD\d{3}$/.test(d.code)), JSON.stringify(params.diagnostics));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    server.kill();
  }
});
