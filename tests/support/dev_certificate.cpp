#include "support/dev_certificate.hpp"

namespace actionhost::test {

ProcessResult DevCertificate::make() const {
  return run_process({"/bin/bash", ACTIONHOST_SOURCE_DIR "/certs/make-dev-cert.sh", dir_.path()});
}

}  // namespace actionhost::test
