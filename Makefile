# Lightbox: the README's two commands.
#   make run    install what is missing, build, start the workstation on the demo study
#   make test   install what is missing, build, run every test (+ sanitizer build, brief fuzzing)
#   make bench  run the benchmarks in bench/ (each prints ours / peer)
SHELL := /bin/bash
BUILD ?= build
SAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS ?= $(shell nproc)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_CACHE ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/lightbox-demo

# Debian 12 packages: build, run, and the real peers the tests talk to.
PACKAGES := build-essential cmake ninja-build ccache pkg-config \
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libqt6sql6-sqlite qt6-svg-dev qt6-charts-dev \
  libvtk9-dev libinsighttoolkit5-dev libgdcm-dev libdcmtk-dev libsqlite3-dev \
  libgl1-mesa-dev libglu1-mesa-dev libgl1-mesa-dri xvfb xauth \
  dcmtk orthanc dcm2niix python3-pydicom python3-numpy libgdcm-tools \
  libgtest-dev nlohmann-json3-dev clang libclang-rt-14-dev time python3-gdcm python3-pil curl

.PHONY: deps configure build run test test-fast sanitize tsan fuzz bench clean

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Import the bundled demo study into a fresh cache and open the workstation on it (with no
# display, e.g. over ssh, it says so and lists the study instead).
run: build
	rm -rf "$(DEMO_CACHE)"
	$(BUILD)/app/lightbox-cli --cache "$(DEMO_CACHE)" import resources/demo
	@study=$$($(BUILD)/app/lightbox-cli --cache "$(DEMO_CACHE)" --json studies --limit 1 | sed -n 's/.*"study_uid": "\([^"]*\)".*/\1/p'); \
	if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  $(BUILD)/app/lightbox --cache "$(DEMO_CACHE)" --open "$$study"; \
	else \
	  echo "No display: the workstation needs one (try: xvfb-run make run). The demo study:"; \
	  $(BUILD)/app/lightbox-cli --cache "$(DEMO_CACHE)" studies; \
	fi

# Every test but the widget tests again under AddressSanitizer + UndefinedBehaviorSanitizer
# (clang): the libraries, the services, lightbox-cli and the integration tests that drive it;
# and the libFuzzer targets, run briefly on pydicom's test files and our hostile files.
$(SAN_BUILD)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(SAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DLB_NO_GUI=ON -DLB_SANITIZE=ON -DLB_FUZZ=ON

sanitize: deps $(SAN_BUILD)/build.ninja
	cmake --build $(SAN_BUILD) -j $(JOBS)

test: build sanitize
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/support/lsan.supp ctest --output-on-failure -j $(JOBS)

# ThreadSanitizer over the threaded code (importer workers, storage SCP, transfer queue, the job
# board, series loader and viewing session, the receiving sink) and the tests that drive it: `make tsan` (not part of `make test`: a third
# build would take CI past its budget; run it when threads change). Uninstrumented system
# libraries are suppressed in tests/support/tsan.supp, each with its reason.
$(TSAN_BUILD)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DLB_NO_GUI=ON -DLB_TSAN=ON

tsan: deps $(TSAN_BUILD)/build.ninja
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS="suppressions=$(CURDIR)/tests/support/tsan.supp halt_on_error=0 exitcode=66" \
	  ctest --output-on-failure -j $(JOBS) -R 'app\.|cache\.Concurrency|cache\.Importer|cache\.PatientSafety|netclient\.|integration\.(ScpIntake|NetworkTest|RetrieveFailureTest|TlsTest)'

fuzz: sanitize
	tests/fuzz/run_fuzz.sh $(SAN_BUILD)/tests/fuzz/fuzz_dicom_header 300

bench: build
	bench/run_all.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(TSAN_BUILD)
