/* A C program using a compiled graph through its generated header alone: a failed run's message comes
   from dmcrt_last_error(), declared there. Includes the runtime's own declaration too (compatible). */
#include "bind.h"

#ifdef WITH_RUNTIME_HEADER
#include <dmc/runtime/error.h>
#endif

#include <stdio.h>

int main(void) {
  void *graph = dmc_bind_create();
  float x[8] = {0}, y[8];
  dmcrt_clear_error();
  int rc = dmc_bind_run(graph, 0, x, y); /* S = 0: not a positive size */
  printf("rc=%d: %s\n", rc, dmcrt_last_error());
  dmcrt_clear_error();
  printf("cleared: [%s]\n", dmcrt_last_error());
  rc = dmc_bind_run(graph, 1, x, y);
  printf("rc=%d\n", rc);
  dmc_bind_destroy(graph);
  return 0;
}
