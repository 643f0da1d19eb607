/*
 * Two system calls Node.js does not offer, for gateway/memory/memoryTrim.ts
 * (docs/performance.md#memory-trim):
 *
 * - trimMalloc(): glibc's malloc_trim(0). Start-up frees memory in the middle
 *   of malloc's arenas (V8's compiler zones, the config worker, OpenSSL);
 *   glibc gives back only the top of an arena by itself, so those pages stay
 *   in RSS for good. malloc_trim hands every free page back (madvise).
 *   Returns whether any memory was released; false where libc is not glibc.
 *
 * - dropPages(start, length): madvise(MADV_DONTNEED) on one range. The caller
 *   passes only read-only, private mappings of the node executable that hold
 *   no anonymous (copy-on-write) page: for those the kernel just unmaps the
 *   pages, which stay in the page cache, and the next touch maps them again
 *   from it. Returns 0, or the errno of the failed call.
 *
 * Deliberately nothing else: no general madvise, no pointers handed to JS.
 */
#include <errno.h>
#include <node_api.h>
#include <stdint.h>
#include <sys/mman.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static napi_value TrimMalloc(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
#ifdef __GLIBC__
  napi_get_boolean(env, malloc_trim(0) != 0, &out);
#else
  napi_get_boolean(env, false, &out);
#endif
  return out;
}

static napi_value DropPages(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  double start = 0;
  double length = 0;
  napi_value out;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_double(env, args[0], &start) != napi_ok ||
      napi_get_value_double(env, args[1], &length) != napi_ok || start <= 0 || length <= 0) {
    napi_throw_type_error(env, NULL, "dropPages(start, length): two positive numbers");
    return NULL;
  }
  int result = madvise((void *)(uintptr_t)start, (size_t)length, MADV_DONTNEED);
  napi_create_int32(env, result == 0 ? 0 : errno, &out);
  return out;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "trimMalloc", NAPI_AUTO_LENGTH, TrimMalloc, NULL, &fn);
  napi_set_named_property(env, exports, "trimMalloc", fn);
  napi_create_function(env, "dropPages", NAPI_AUTO_LENGTH, DropPages, NULL, &fn);
  napi_set_named_property(env, exports, "dropPages", fn);
  return exports;
}
