-- The Lua side of tests/test_nvim.py: Neovim's own LSP client, set up as
-- docs/editor.md tells users to set it up, driving `mintc lsp`.
--
-- Run as `nvim --headless --clean -l script.lua config.json`, where the
-- script is `local H = dofile(<this file>)` followed by `H.run(function()
-- <a test's snippet> end)`. config.json gives the server command, the
-- folder of the test's files, the output file and the timeout. The snippet
-- stores what it saw in `H.out`; `H.run` writes `H.out` (or the error and its
-- traceback) to the output file as JSON, stops the server and returns, so
-- Neovim exits. Every wait is bounded by the timeout.

local H = {}

local config = vim.json.decode(table.concat(vim.fn.readfile(_G.arg[1]), "\n"))

H.dir = config.dir
H.timeout = config.timeout_ms
H.out = {}
--- Every message the editor showed the user (vim.notify), in order.
H.notes = {}
--- Every window/logMessage of the server: { type = 1..4, message = "..." }.
H.logs = {}
--- How many times diagnostics were published, by URI.
H.published = {}
--- The answers to workspace/executeCommand: { err = ..., result = ... }.
H.executed = {}
--- Every window/showMessage of the server: { type = 1..4, message = "..." }.
H.shown = {}

local function note(msg, level)
  table.insert(H.notes, { message = tostring(msg), level = level })
end
vim.notify = note
vim.notify_once = function(msg, level)
  note(msg, level)
  return true
end

-- A headless editor must never wait for the user: a choice or a prompt is
-- recorded as a note and answered "cancel".
vim.ui.select = function(items, opts, on_choice)
  note("vim.ui.select: " .. tostring(opts and opts.prompt) .. " (" .. #items .. " items)", vim.log.levels.ERROR)
  on_choice(nil, nil)
end
vim.ui.input = function(opts, on_confirm)
  note("vim.ui.input: " .. tostring(opts and opts.prompt), vim.log.levels.ERROR)
  on_confirm(nil)
end

local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
local show = vim.lsp.handlers["window/showMessage"]
local execute = vim.lsp.handlers["workspace/executeCommand"]
vim.lsp.handlers["workspace/executeCommand"] = function(err, result, ctx, cfg)
  table.insert(H.executed, { err = err or vim.NIL, result = result or vim.NIL })
  if execute then
    return execute(err, result, ctx, cfg)
  end
end

-- The setup of docs/editor.md (Neovim 0.11), with the test's server command.
vim.filetype.add({ extension = { mint = "mint" } })
vim.lsp.config("mintc", {
  cmd = config.cmd,
  filetypes = { "mint" },
  root_markers = { ".git" },
  handlers = {
    ["textDocument/publishDiagnostics"] = function(err, result, ctx, cfg)
      H.published[result.uri] = (H.published[result.uri] or 0) + 1
      return publish(err, result, ctx, cfg)
    end,
    ["window/logMessage"] = function(_, result)
      table.insert(H.logs, { type = result.type, message = result.message })
    end,
    ["window/showMessage"] = function(err, result, ctx, cfg)
      table.insert(H.shown, { type = result.type, message = result.message })
      return show(err, result, ctx, cfg)
    end,
  },
})
vim.lsp.enable("mintc")

--- Wait (bounded) until `cond()` is true; fail naming `what` otherwise. A
--- message the editor shows the user meanwhile ends the wait at once (a
--- failed command says so there, and would otherwise wait for the timeout).
function H.wait(cond, what)
  local notes = #H.notes
  vim.wait(H.timeout, function()
    return cond() or #H.notes > notes
  end, 10)
  if not cond() then
    if #H.notes > notes then
      error("stopped waiting for " .. what .. ": the editor said: " .. H.notes[#H.notes].message, 2)
    end
    error("timed out after " .. H.timeout .. " ms waiting for " .. what, 2)
  end
end

--- The mintc client attached to `buf`, once it is initialized.
function H.client(buf)
  local client = vim.lsp.get_clients({ bufnr = buf, name = "mintc" })[1]
  if client and client.initialized and vim.lsp.buf_is_attached(buf, client.id) then
    return client
  end
end

--- Fail at once, naming it, when the server does not advertise `capability`
--- (such as "renameProvider"); return the capability's options.
function H.capability(buf, capability)
  local found = H.client(buf).server_capabilities[capability]
  if not found then
    error("the server does not advertise " .. capability, 2)
  end
  return found
end

--- The path of a file of the test's folder.
function H.path(name)
  return H.dir .. "/" .. name
end

--- Edit a file of the test's folder (as `:edit` does) and wait until the server is attached.
function H.open(name)
  vim.cmd.edit(vim.fn.fnameescape(H.path(name)))
  local buf = vim.api.nvim_get_current_buf()
  H.wait(function()
    return H.client(buf) ~= nil
  end, "mintc to attach to " .. name)
  return buf
end

--- Show `buf` in the current window (other buffers stay open, unsaved).
function H.show(buf)
  vim.api.nvim_set_current_buf(buf)
end

function H.uri(buf)
  return vim.uri_from_bufnr(buf)
end

--- The buffer's text, lines joined by "\n", with the final line break.
function H.text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
end

--- Wait until the buffer's text is no longer `old`; return the new text.
function H.wait_text(buf, old, what)
  H.wait(function()
    return H.text(buf) ~= old
  end, what or "the buffer to change")
  return H.text(buf)
end

--- Replace lines [first, last) (0-based) by `lines`, as typing would.
function H.set_lines(buf, first, last, lines)
  vim.api.nvim_buf_set_lines(buf, first, last, false, lines)
end

--- The LSP position (in the client's encoding) of the `nth` (default 1)
--- occurrence of `needle`, plus `offset` characters.
function H.at(buf, needle, nth, offset)
  nth = nth or 1
  local seen = 0
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local from = 1
    while true do
      local s = line:find(needle, from, true)
      if not s then
        break
      end
      seen = seen + 1
      if seen == nth then
        local enc = H.client(buf).offset_encoding
        return { line = i - 1, character = vim.str_utfindex(line, enc, s - 1) + (offset or 0) }
      end
      from = s + 1
    end
  end
  error("not in the buffer: " .. needle, 2)
end

--- `{ textDocument, position }` at the `nth` `needle` of `buf`.
function H.params(buf, needle, nth, offset)
  return { textDocument = { uri = H.uri(buf) }, position = H.at(buf, needle, nth, offset) }
end

--- Send a request through Neovim's client and return mintc's result (vim.NIL for null).
function H.request(buf, method, params)
  local answers, err = vim.lsp.buf_request_sync(buf, method, params, H.timeout)
  if not answers then
    error(method .. ": no answer: " .. tostring(err), 2)
  end
  local answer = answers[H.client(buf).id]
  if not answer then
    error(method .. ": no answer from mintc", 2)
  end
  if answer.err then
    error(method .. ": error " .. vim.inspect(answer.err), 2)
  end
  return answer.result
end

--- The diagnostics Neovim shows for `buf`, in order, as plain tables
--- (0-based lines; columns in bytes, as Neovim keeps them).
function H.diags(buf)
  local names = { "error", "warning", "info", "hint" }
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, {
      line = d.lnum,
      col = d.col,
      end_line = d.end_lnum,
      end_col = d.end_col,
      severity = names[d.severity],
      code = d.code,
      source = d.source,
      message = d.message,
    })
  end
  table.sort(out, function(a, b)
    return a.line < b.line or (a.line == b.line and a.col < b.col)
  end)
  return out
end

--- How many times the server published diagnostics for `buf`.
function H.publishes(buf)
  return H.published[H.uri(buf)] or 0
end

--- Wait until the server has published for `buf` at least `n` times (default
--- 1) and `ok(diags)` holds (default: always); return the diagnostics.
function H.wait_diags(buf, ok, what, n)
  H.wait(function()
    return H.publishes(buf) >= (n or 1) and (ok == nil or ok(H.diags(buf)))
  end, what or "diagnostics")
  return H.diags(buf)
end

function H.some(diags)
  return #diags > 0
end

function H.none(diags)
  return #diags == 0
end

--- Run a test's snippet; write H.out (or the error), the notes and the
--- server's log to the output file; stop the server.
function H.run(snippet)
  local ok, err = xpcall(snippet, debug.traceback)
  local clients = vim.lsp.get_clients({ name = "mintc" })
  local result = {
    out = H.out,
    error = (not ok) and tostring(err) or vim.NIL,
    notes = H.notes,
    logs = H.logs,
    shown = H.shown,
    version = tostring(vim.version()),
    encoding = clients[1] and clients[1].offset_encoding or vim.NIL,
  }
  vim.fn.writefile({ vim.json.encode(result) }, config.out)
  for _, client in ipairs(clients) do
    client:stop()
  end
  vim.wait(2000, function()
    for _, client in ipairs(clients) do
      if not client:is_stopped() then
        return false
      end
    end
    return true
  end, 10)
end

return H
