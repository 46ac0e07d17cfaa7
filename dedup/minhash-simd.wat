;; MinHash signatures with 128-bit SIMD: for each permutation k, the minimum over shingles h of
;; a_k·h + b_k mod 2^32 (unsigned), exactly what signature() in minhash.ts computes, four permutations per
;; vector and sixteen per pass over the shingles. scripts/build-wasm.ts assembles this into minhash-simd-wasm.ts.
;; signature(pa, pb, k, sh, n, out): a at pa, b at pb (k u32 each), n shingles at sh, k minima to out.
;; Permutations past the last multiple of 4 are left to the caller.
(module
  (memory (export "memory") 1)
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
