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

/* OSSL_PARAM keeps pointers to its key name. Swift imports the OSSL_*_PARAM_* names as
   String constants, whose C form lives only for one call, so parameters are built here from
   the C string literals instead. */

/// digest = "SHA256", for HMAC (EVP_MAC) and HKDF (EVP_KDF).
static inline OSSL_PARAM mashlink_param_digest_sha256(void) {
    return OSSL_PARAM_construct_utf8_string(OSSL_ALG_PARAM_DIGEST, (char *)"SHA256", 0);
}

/// HKDF mode (EVP_KDF_HKDF_MODE_*).
static inline OSSL_PARAM mashlink_param_hkdf_mode(int *mode) {
    return OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, mode);
}

/// HKDF input keying material (or PRK in expand-only mode).
static inline OSSL_PARAM mashlink_param_hkdf_key(const unsigned char *key, size_t length) {
    return OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, length);
}

/// HKDF salt.
static inline OSSL_PARAM mashlink_param_hkdf_salt(const unsigned char *salt, size_t length) {
    return OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, length);
}

/// HKDF info.
static inline OSSL_PARAM mashlink_param_hkdf_info(const unsigned char *info, size_t length) {
    return OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, length);
}

#endif
