# ptyscreen.py -- drives x86lab's terminal console (-nographic on a
# pseudo-terminal) from a test: starts it, types keys, and rebuilds the
# screen the terminal shows from what x86lab wrote (text, CR/LF, cursor
# moves ESC [ row ; col H; other escape sequences skipped).
import os, pty, select, signal, time


def render(data, nrows=30):
    """The rows (80 columns) a terminal shows for data: text, CR/LF,
    cursor moves (ESC [ row ; col H) and clears (ESC [ 2 J)."""
    rows = [[" "] * 80 for _ in range(nrows)]
    r = c = 0
    text = data.decode("utf-8", "replace")
    k = 0
    while k < len(text):
        ch = text[k]
        if ch == "\x1b" and text[k + 1:k + 2] == "[":
            j = k + 2
            while j < len(text) and not ("@" <= text[j] <= "~"):
                j += 1
            params, final = text[k + 2:j], text[j:j + 1]
            if final == "H":
                nums = [int(n) if n else 1 for n in (params.split(";") + ["", ""])[:2]]
                r, c = nums[0] - 1, nums[1] - 1
            elif final == "J" and params == "2":
                rows = [[" "] * 80 for _ in range(nrows)]
            k = j + 1
            continue
        if ch == "\r":
            c = 0
        elif ch == "\n":
            r += 1
        elif ch >= " " and 0 <= r < nrows and 0 <= c < 80:
            rows[r][c] = ch
            c += 1
        k += 1
    return ["".join(row).rstrip() for row in rows]


class Console:
    def __init__(self, argv, scale=1.0):
        self.scale = scale
        self.seen = b""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)

    def pump(self, timeout):
        """Reads what x86lab wrote for up to timeout seconds."""
        end = time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self.seen += data

    def screen(self):
        return render(self.seen, 60)

    def wait_screen(self, text, timeout=10.0, count=1):
        """Waits until text shows on `count` rows of the screen."""
        end = time.time() + timeout * self.scale
        while time.time() < end:
            if sum(text in row for row in self.screen()) >= count:
                return True
            self.pump(0.1)
        return sum(text in row for row in self.screen()) >= count

    def type(self, keys):
        os.write(self.fd, keys.encode())

    def wait_exit(self, timeout=10.0):
        """The exit status, or None after killing x86lab at the timeout."""
        end = time.time() + timeout * self.scale
        while time.time() < end:
            self.pump(0.05)
            p, st = os.waitpid(self.pid, os.WNOHANG)
            if p:
                return os.waitstatus_to_exitcode(st)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None
