"""Python reference benchmark for the Swift OpenSSL wrapper benchmarks.

Measures the same operations as the Swift benchmark with Python's
`cryptography` package (which links its own OpenSSL) and the stdlib, so the
Swift numbers have a comparison anchor measured on the same machine.

    python3 Benchmarks/python/crypto_bench.py           # full run (~2 min)
    python3 Benchmarks/python/crypto_bench.py --quick   # fewer, shorter reps

Each measurement is warmed up, auto-calibrated so one repetition takes ~1 s,
and reported as the median of 5 repetitions (3 shorter ones with --quick).
Times include the Python loop and call overhead; `python_call_overhead`
reports that overhead (an empty call) on its own.
Output lines: `python-cryptography <name> <value> <unit>`.
HPKE uses cryptography's own `cryptography.hazmat.primitives.hpke`
(single-shot base mode, available in cryptography 48); no pyhpke needed.
"""
import argparse
import gc
import hmac as std_hmac
import os
import platform
import statistics
import time

import cryptography
from cryptography.hazmat.backends.openssl import backend
from cryptography.hazmat.primitives import hmac, hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

UNITS = {"ns/op": 1, "µs/op": 1e3, "ms/op": 1e6}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(fn, n):
    """Time n calls of fn; returns ns per call."""
    rng = range(n)
    t0 = time.perf_counter_ns()
    for _ in rng:
        fn()
    return (time.perf_counter_ns() - t0) / n


def bench(name, fn, unit, reps, target_s):
    for _ in range(3):  # warm-up
        fn()
    n = 1
    while True:  # calibrate: grow n until a run takes >= 10% of the target
        elapsed = run(fn, n) * n
        if elapsed >= target_s * 1e8:
            break
        n *= 4 if elapsed < target_s * 1e7 else 2
    n = max(1, int(n * target_s * 1e9 / elapsed))
    gc.disable()
    try:
        samples = [run(fn, n) for _ in range(reps)]
    finally:
        gc.enable()
    value = statistics.median(samples) / UNITS[unit]
    print(f"python-cryptography {name} {value:.{1 if value >= 10 else 3}f} {unit}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 reps of ~0.25 s instead of 5 of ~1 s")
    args = ap.parse_args()
    reps, target = (3, 0.25) if args.quick else (5, 1.0)

    print(f"# python {platform.python_version()} ({platform.python_implementation()})")
    print(f"# cryptography {cryptography.__version__}")
    print(f"# openssl {backend.openssl_version_text()}")
    print(f"# cpu {cpu_model()} ({os.cpu_count()} logical CPUs)")
    print(f"# reps {reps}, ~{target} s each, median reported")

    def b(name, fn, unit):
        bench(name, fn, unit, reps, target)

    b("python_call_overhead", lambda: None, "ns/op")

    # 1. HMAC-SHA256 of a 2-byte message.
    key, msg = os.urandom(32), b"hi"
    c_base = hmac.HMAC(key, SHA256())
    s_base = std_hmac.new(key, digestmod="sha256")

    def c_reused():
        h = c_base.copy()
        h.update(msg)
        return h.finalize()

    def s_reused():
        h = s_base.copy()
        h.update(msg)
        return h.digest()

    def c_fresh():
        h = hmac.HMAC(key, SHA256())
        h.update(msg)
        return h.finalize()

    b("hmac_sha256_2B_reused_ctx", c_reused, "ns/op")
    b("hmac_sha256_2B_stdlib_reused_ctx", s_reused, "ns/op")
    b("hmac_sha256_2B_oneshot", c_fresh, "ns/op")
    b("hmac_sha256_2B_stdlib_oneshot", lambda: std_hmac.new(key, msg, "sha256").digest(), "ns/op")

    # 2. HPKE base mode, DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256, 200-byte payload.
    rsk = X25519PrivateKey.generate()
    rpk = rsk.public_key()
    payload, info = os.urandom(200), b"bench"
    for tag, aead in (("aes128gcm", hpke.AEAD.AES_128_GCM),
                      ("chacha20poly1305", hpke.AEAD.CHACHA20_POLY1305)):
        suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, aead)
        ct = suite.encrypt(payload, rpk, info=info)
        assert suite.decrypt(ct, rsk, info=info) == payload
        b(f"hpke_x25519_{tag}_seal_200B", lambda: suite.encrypt(payload, rpk, info=info), "µs/op")
        b(f"hpke_x25519_{tag}_open_200B", lambda: suite.decrypt(ct, rsk, info=info), "µs/op")

    # 3. Ed25519 over a 64-byte message.
    esk = Ed25519PrivateKey.generate()
    epk = esk.public_key()
    m64 = os.urandom(64)
    sig = esk.sign(m64)
    b("ed25519_sign_64B", lambda: esk.sign(m64), "µs/op")
    b("ed25519_verify_64B", lambda: epk.verify(sig, m64), "µs/op")

    # 4. Context: AES-256-GCM, X25519, scrypt.
    aes, nonce = AESGCM(AESGCM.generate_key(256)), os.urandom(12)
    b("aes256gcm_seal_200B_reused", lambda: aes.encrypt(nonce, payload, None), "µs/op")
    peer = X25519PrivateKey.generate().public_key()
    b("x25519_key_agreement", lambda: rsk.exchange(peer), "µs/op")
    salt = os.urandom(16)
    b("scrypt_N32768_r8_p1", lambda: Scrypt(salt, 32, 2**15, 8, 1).derive(b"password"), "ms/op")


if __name__ == "__main__":
    main()
