#!/usr/bin/env python3
"""A TCP proxy the tests control: forwards 127.0.0.1:LISTEN to TARGET, optionally slowed to
RATE bytes/s per direction (so a transfer lasts long enough to be interrupted) and cut after
CUT bytes from the target (a link that dies mid-transfer: both sockets are closed at once,
no DICOM goodbye). Prints "ready" once listening. Stops on SIGTERM."""
import argparse
import signal
import socket
import sys
import threading
import time


def pump(source, sink, rate, budget, on_cut):
    sent = 0
    started = time.monotonic()
    try:
        while True:
            data = source.recv(16384)
            if not data:
                break
            if budget is not None and sent + len(data) >= budget:
                sink.sendall(data[: max(0, budget - sent)])
                on_cut()
                return
            sink.sendall(data)
            sent += len(data)
            if rate:
                ahead = sent / rate - (time.monotonic() - started)
                if ahead > 0:
                    time.sleep(ahead)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, target, rate, cut):
    upstream = socket.create_connection(target)
    for s in (client, upstream):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def cut_both():
        # Reset both connections (linger 0), and shut them down first: a close() alone does
        # not wake the other pump thread blocked in recv(), and the socket would live on.
        for s in (client, upstream):
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass

    threading.Thread(target=pump, args=(client, upstream, rate, None, cut_both), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, rate, cut, cut_both), daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", required=True, help="host:port")
    parser.add_argument("--rate", type=float, default=0, help="bytes/s per direction, 0 = unlimited")
    parser.add_argument("--cut-after", type=int, default=None, help="bytes from the target, then cut")
    args = parser.parse_args()
    host, port = args.target.rsplit(":", 1)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.listen))
    listener.listen(16)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    while True:
        client, _ = listener.accept()
        serve(client, (host, int(port)), args.rate, args.cut_after)


if __name__ == "__main__":
    main()
