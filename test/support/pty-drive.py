"""Runs a command in a pseudo-terminal and answers its prompts, like a person at a keyboard.

usage: pty-drive.py <cwd> <script.json> -- <command...>
script.json: [{"expect": "<text>", "send": "<keys>"}, ...]; keys may use \\u001b[B (down arrow), \\r (Enter).
Prints everything the program wrote; exits with the program's exit code.
"""
import json, os, pty, select, sys, time

def main():
    cwd, script_path = sys.argv[1], sys.argv[2]
    cmd = sys.argv[sys.argv.index('--') + 1:]
    steps = json.load(open(script_path))
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.environ['TERM'] = 'xterm'
        os.execvp(cmd[0], cmd)
    out = b''
    seen = 0
    deadline = time.time() + 60
    while True:
        if steps and steps[0]['expect'].encode() in out[seen:]:
            seen = out.index(steps[0]['expect'].encode(), seen) + 1
            time.sleep(0.15)
            os.write(fd, steps.pop(0)['send'].encode())
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if time.time() > deadline:
            os.kill(pid, 9)
            break
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode('utf8', 'replace'))
    sys.exit(os.waitstatus_to_exitcode(status))

main()
