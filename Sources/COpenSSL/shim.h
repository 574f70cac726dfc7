// The few OpenSSL entry points that Swift cannot import directly (function-like
// macros) are wrapped here as static inline functions. Nothing else lives here.
#ifndef MASHLINK_COPENSSL_SHIM_H
#define MASHLINK_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

/// BIO_get_mem_data is a macro over BIO_ctrl.
static inline long mashlink_BIO_get_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

/// OPENSSL_free is a macro over CRYPTO_free.
static inline void mashlink_OPENSSL_free(void *ptr) {
    OPENSSL_free(ptr);
}

#endif
