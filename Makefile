# Thin wrapper around meson; see README.md.
PREFIX ?= /usr/local
BUILD  ?= build

.PHONY: all deps run test install clean format

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX)

deps:
	@./scripts/deps.sh

# Install what is missing, build, diagnose this host.
run: deps
	@$(MAKE) --no-print-directory all >/dev/null
	./$(BUILD)/vnetdiag check; status=$$?; \
	  echo "(vnetdiag exit status $$status: 0 ok, 1 warning, 2 critical, 3 could not diagnose)"

# Install what is missing (test tools too), build, run every test suite.
test:
	@./scripts/deps.sh --test
	@./tests/run.sh

install: all
	meson install -C $(BUILD) --no-rebuild

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-fuzz
