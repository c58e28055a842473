#ifndef SWIFT_CRYPTECH_COPENSSL_SHIM_H
#define SWIFT_CRYPTECH_COPENSSL_SHIM_H

// The low-level SHA256_* calls are deprecated in OpenSSL 3 but are ~5x faster than
// EVP_Digest per call for the tiny fixed-size inputs hash-based signatures hash.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/aes.h>
#include <openssl/x509.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#endif
