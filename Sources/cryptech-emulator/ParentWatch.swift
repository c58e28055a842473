#if canImport(Glibc)
import Glibc
#endif
import ServiceLifecycle

/// Returns once this process is re-parented, i.e. its launcher is gone (`--exit-with-parent`);
/// configured to shut the group down gracefully then. Polled: Linux tells a child of its
/// parent's death only through `PR_SET_PDEATHSIG`, which fires when the launching *thread*
/// ends, and a launcher's thread pool may end that thread long before the launcher.
struct ParentWatch: Service {
    let parent: pid_t

    func run() async {
        await cancelWhenGracefulShutdown {
            while getppid() == parent {
                guard (try? await Task.sleep(for: .milliseconds(500))) != nil else { return }
            }
        }
    }
}
