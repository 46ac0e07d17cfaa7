;; The hot loops of dedup's signature step, each the same arithmetic as its JS reference (tests hold them
;; equal): scan (normalizedTokens in word-hashes.ts), shingles (wordShingles in minhash.ts) and signature
;; (signature in minhash.ts). scripts/build-wasm.ts assembles this file into kernels-wasm.ts.
(module
  (memory (export "memory") 1)
  (global $units_length (mut i32) (i32.const 0))
  (global $may_split (mut i32) (i32.const 0))

  ;; scan(cls, src, n, units, words, filter, lower) → words found; -1 at a unit of class 4 (the caller takes
  ;; the JS path); -2, when lower is set, at the first unit above U+007F (the caller lowercases the text in JS
  ;; and scans it again without lower). cls: one class byte per UTF-16 unit (0 word, 1 space, 2 deleted, 3 a
  ;; token of its own, 4 see JS); src: n units. lower, unless 0: 128 u16 entries, an ASCII unit's lowercase
  ;; form and (high byte) that form's class; with it the scan lowercases ASCII as it reads, which for ASCII
  ;; text is all prepareText does, so such text is read once, and with one load per unit. Writes the normalised text to units (words joined by one
  ;; space; its length is unitsLength()) and each word's FNV-1a hash to words. filter, unless 0: a byte per
  ;; low 16 hash bits, set for words that may need nltk's split; maySplit() tells whether a word hit it.
  (func (export "unitsLength") (result i32) (global.get $units_length))
  (func (export "maySplit") (result i32) (global.get $may_split))
  (func (export "scan") (param $cls i32) (param $src i32) (param $n i32) (param $units i32) (param $words i32) (param $filter i32) (param $lower i32) (result i32)
    (local $i i32) (local $c i32) (local $k i32) (local $nu i32) (local $nw i32) (local $h i32) (local $open i32)
    (local $p i32) (local $q i32) (local $end i32)
    (global.set $may_split (i32.const 0))
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load16_u (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (local.get $lower)
          (then
            (if (i32.gt_u (local.get $c) (i32.const 127)) (then (return (i32.const -2))))
            (local.set $k (i32.load16_u (i32.add (local.get $lower) (i32.shl (local.get $c) (i32.const 1)))))
            (local.set $c (i32.and (local.get $k) (i32.const 0xff)))
            (local.set $k (i32.shr_u (local.get $k) (i32.const 8))))
          (else (local.set $k (i32.load8_u (i32.add (local.get $cls) (local.get $c))))))
        (if (i32.eqz (local.get $k))
          (then
            (if (i32.eqz (local.get $open))
              (then
                (if (local.get $nu)
                  (then
                    (i32.store16 (i32.add (local.get $units) (i32.shl (local.get $nu) (i32.const 1))) (i32.const 32))
                    (local.set $nu (i32.add (local.get $nu) (i32.const 1)))))
                (local.set $open (i32.const 1))
                (local.set $h (i32.const 0x811c9dc5))))
            (i32.store16 (i32.add (local.get $units) (i32.shl (local.get $nu) (i32.const 1))) (local.get $c))
            (local.set $nu (i32.add (local.get $nu) (i32.const 1)))
            (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $c)) (i32.const 0x01000193)))
            ;; The rest of the word in a tight loop: word units are kept, deleted ones skipped. The two copies
            ;; differ only in lowering, which text that was lowered in JS does not need.
            (local.set $p (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1))))
            (local.set $q (i32.add (local.get $units) (i32.shl (local.get $nu) (i32.const 1))))
            (if (local.get $lower)
              (then
                (block $word_end
                  (loop $word
                    (br_if $word_end (i32.ge_u (local.get $p) (local.get $end)))
                    (local.set $c (i32.load16_u (local.get $p)))
                    (if (i32.gt_u (local.get $c) (i32.const 127)) (then (return (i32.const -2))))
                    ;; A word unit's entry is its lowercase form itself (class 0 in the high byte).
                    (local.set $k (i32.load16_u (i32.add (local.get $lower) (i32.shl (local.get $c) (i32.const 1)))))
                    (if (i32.lt_u (local.get $k) (i32.const 256))
                      (then
                        (i32.store16 (local.get $q) (local.get $k))
                        (local.set $q (i32.add (local.get $q) (i32.const 2)))
                        (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $k)) (i32.const 0x01000193)))
                        (local.set $p (i32.add (local.get $p) (i32.const 2)))
                        (br $word)))
                    (br_if $word_end (i32.ne (i32.shr_u (local.get $k) (i32.const 8)) (i32.const 2)))
                    (local.set $p (i32.add (local.get $p) (i32.const 2)))
                    (br $word))))
              (else
                (block $word_end_u
                  (loop $word_u
                    (br_if $word_end_u (i32.ge_u (local.get $p) (local.get $end)))
                    (local.set $c (i32.load16_u (local.get $p)))
                    (local.set $k (i32.load8_u (i32.add (local.get $cls) (local.get $c))))
                    (if (i32.eqz (local.get $k))
                      (then
                        (i32.store16 (local.get $q) (local.get $c))
                        (local.set $q (i32.add (local.get $q) (i32.const 2)))
                        (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $c)) (i32.const 0x01000193)))
                        (local.set $p (i32.add (local.get $p) (i32.const 2)))
                        (br $word_u)))
                    (br_if $word_end_u (i32.ne (local.get $k) (i32.const 2)))
                    (local.set $p (i32.add (local.get $p) (i32.const 2)))
                    (br $word_u)))))
            (local.set $i (i32.shr_u (i32.sub (local.get $p) (local.get $src)) (i32.const 1)))
            (local.set $nu (i32.shr_u (i32.sub (local.get $q) (local.get $units)) (i32.const 1)))
            (br $next)))
        (br_if $next (i32.eq (local.get $k) (i32.const 2)))
        (if (i32.eq (local.get $k) (i32.const 4)) (then (return (i32.const -1))))
        (if (local.get $open)
          (then
            ;; $end_word, written out: this runs once a word.
            (i32.store (i32.add (local.get $words) (i32.shl (local.get $nw) (i32.const 2))) (local.get $h))
            (if (local.get $filter)
              (then
                (if (i32.load8_u (i32.add (local.get $filter) (i32.and (local.get $h) (i32.const 0xffff))))
                  (then (global.set $may_split (i32.const 1))))))
            (local.set $nw (i32.add (local.get $nw) (i32.const 1)))
            (local.set $open (i32.const 0))))
        (if (i32.eq (local.get $k) (i32.const 3))
          (then
            (if (local.get $nu)
              (then
                (i32.store16 (i32.add (local.get $units) (i32.shl (local.get $nu) (i32.const 1))) (i32.const 32))
                (local.set $nu (i32.add (local.get $nu) (i32.const 1)))))
            (i32.store16 (i32.add (local.get $units) (i32.shl (local.get $nu) (i32.const 1))) (local.get $c))
            (local.set $nu (i32.add (local.get $nu) (i32.const 1)))
            (i32.store (i32.add (local.get $words) (i32.shl (local.get $nw) (i32.const 2)))
              (i32.mul (i32.xor (i32.const 0x811c9dc5) (local.get $c)) (i32.const 0x01000193)))
            (local.set $nw (i32.add (local.get $nw) (i32.const 1)))))
        (br $next)))
    ;; The text ends a word that is still open.
    (if (local.get $open)
      (then
        (call $end_word (local.get $words) (local.get $nw) (local.get $h) (local.get $filter))
        (local.set $nw (i32.add (local.get $nw) (i32.const 1)))))
    (global.set $units_length (local.get $nu))
    (local.get $nw))

  ;; Stores word nw's hash, and notes when the split filter has it.
  (func $end_word (param $words i32) (param $nw i32) (param $h i32) (param $filter i32)
    (i32.store (i32.add (local.get $words) (i32.shl (local.get $nw) (i32.const 2))) (local.get $h))
    (if (local.get $filter)
      (then
        (if (i32.load8_u (i32.add (local.get $filter) (i32.and (local.get $h) (i32.const 0xffff))))
          (then (global.set $may_split (i32.const 1)))))))

  ;; shingles(words, len, n, mixed, out) → shingle count: as wordShingles in minhash.ts (fmix32 is MurmurHash3's
  ;; 32-bit finaliser, fmix32 in core/hash.ts). mixed: len scratch words.
  (func (export "shingles") (param $words i32) (param $len i32) (param $n i32) (param $mixed i32) (param $out i32) (result i32)
    (local $i i32) (local $s i32) (local $j i32) (local $count i32) (local $width i32) (local $seed i32) (local $h i32) (local $at i32) (local $t i32)
    (if (i32.eqz (local.get $len)) (then (return (i32.const 0))))
    (block $mixed_done
      (loop $mix
        (br_if $mixed_done (i32.ge_u (local.get $i) (local.get $len)))
        ;; fmix32, written out (wasm calls are not inlined).
        (local.set $t (i32.load (i32.add (local.get $words) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))))
          (local.set $t (i32.mul (local.get $t) (i32.const 0x85ebca6b)))
          (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 13))))
          (local.set $t (i32.mul (local.get $t) (i32.const 0xc2b2ae35)))
          (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))))
        (i32.store (i32.add (local.get $mixed) (i32.shl (local.get $i) (i32.const 2))) (local.get $t))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $mix)))
    (local.set $width (select (local.get $n) (local.get $len) (i32.lt_u (local.get $n) (local.get $len))))
    (local.set $count (i32.add (i32.sub (local.get $len) (local.get $width)) (i32.const 1)))
    (local.set $seed (i32.mul (local.get $width) (i32.const 0x9e3779b9)))
    (block $all
      (loop $shingle
        (br_if $all (i32.ge_u (local.get $s) (local.get $count)))
        (local.set $h (local.get $seed))
        (local.set $at (i32.add (local.get $mixed) (i32.shl (local.get $s) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $words_done
          (loop $word
            (br_if $words_done (i32.ge_u (local.get $j) (local.get $width)))
            (local.set $h (i32.xor (local.get $h)
              (i32.rotl (i32.load (i32.add (local.get $at) (i32.shl (local.get $j) (i32.const 2)))) (i32.mul (local.get $j) (i32.const 7)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $word)))
        (local.set $t (local.get $h))
          (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))))
          (local.set $t (i32.mul (local.get $t) (i32.const 0x85ebca6b)))
          (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 13))))
          (local.set $t (i32.mul (local.get $t) (i32.const 0xc2b2ae35)))
          (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $s) (i32.const 2))) (local.get $t))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $shingle)))
    (local.get $count))

  ;; signature(pa, pb, k, sh, n, out): MinHash with 128-bit SIMD. For each permutation p, the minimum over the
  ;; n shingles h at sh of a_p·h + b_p mod 2^32 (unsigned); a at pa, b at pb (k u32 each), k minima to out.
  ;; Four permutations a vector, sixteen per pass over the shingles; those past the last multiple of 4 are
  ;; left to the caller.
  (func (export "signature") (param $pa i32) (param $pb i32) (param $k i32) (param $sh i32) (param $n i32) (param $out i32)
    (local $p i32) (local $s i32) (local $end i32) (local $off i32) (local $h v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    (local.set $end (i32.add (local.get $sh) (i32.shl (local.get $n) (i32.const 2))))
    (block $done16
      (loop $perm16
        (br_if $done16 (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $k)))
        (local.set $off (i32.shl (local.get $p) (i32.const 2)))
        (local.set $a0 (v128.load (i32.add (local.get $pa) (local.get $off))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $pa) (local.get $off))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $pa) (local.get $off))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $pa) (local.get $off))))
        (local.set $b0 (v128.load (i32.add (local.get $pb) (local.get $off))))
        (local.set $b1 (v128.load offset=16 (i32.add (local.get $pb) (local.get $off))))
        (local.set $b2 (v128.load offset=32 (i32.add (local.get $pb) (local.get $off))))
        (local.set $b3 (v128.load offset=48 (i32.add (local.get $pb) (local.get $off))))
        (local.set $m0 (v128.const i32x4 -1 -1 -1 -1))
        (local.set $m1 (v128.const i32x4 -1 -1 -1 -1))
        (local.set $m2 (v128.const i32x4 -1 -1 -1 -1))
        (local.set $m3 (v128.const i32x4 -1 -1 -1 -1))
        (local.set $s (local.get $sh))
        (block $doneS
          (loop $shingle
            (br_if $doneS (i32.ge_u (local.get $s) (local.get $end)))
            (local.set $h (v128.load32_splat (local.get $s)))
            (local.set $m0 (i32x4.min_u (local.get $m0) (i32x4.add (i32x4.mul (local.get $h) (local.get $a0)) (local.get $b0))))
            (local.set $m1 (i32x4.min_u (local.get $m1) (i32x4.add (i32x4.mul (local.get $h) (local.get $a1)) (local.get $b1))))
            (local.set $m2 (i32x4.min_u (local.get $m2) (i32x4.add (i32x4.mul (local.get $h) (local.get $a2)) (local.get $b2))))
            (local.set $m3 (i32x4.min_u (local.get $m3) (i32x4.add (i32x4.mul (local.get $h) (local.get $a3)) (local.get $b3))))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (br $shingle)))
        (v128.store (i32.add (local.get $out) (local.get $off)) (local.get $m0))
        (v128.store offset=16 (i32.add (local.get $out) (local.get $off)) (local.get $m1))
        (v128.store offset=32 (i32.add (local.get $out) (local.get $off)) (local.get $m2))
        (v128.store offset=48 (i32.add (local.get $out) (local.get $off)) (local.get $m3))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $perm16)))
    (block $done4
      (loop $perm4
        (br_if $done4 (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $k)))
        (local.set $off (i32.shl (local.get $p) (i32.const 2)))
        (local.set $a0 (v128.load (i32.add (local.get $pa) (local.get $off))))
        (local.set $b0 (v128.load (i32.add (local.get $pb) (local.get $off))))
        (local.set $m0 (v128.const i32x4 -1 -1 -1 -1))
        (local.set $s (local.get $sh))
        (block $doneS4
          (loop $shingle4
            (br_if $doneS4 (i32.ge_u (local.get $s) (local.get $end)))
            (local.set $m0 (i32x4.min_u (local.get $m0) (i32x4.add (i32x4.mul (v128.load32_splat (local.get $s)) (local.get $a0)) (local.get $b0))))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (br $shingle4)))
        (v128.store (i32.add (local.get $out) (local.get $off)) (local.get $m0))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $perm4))))
)
