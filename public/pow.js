/* global window, document, crypto, TextEncoder */
// Proof of work for the application form (src/requests/proof-of-work.ts): finds a nonce whose
// SHA-256 with the challenge starts with the required zero bits, then submits. Without this
// script the form still submits; the server applies a tighter limit instead.
;(function () {
  var form = document.querySelector('form[data-pow]')
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return
  var status = document.getElementById('pow-status')
  var solving = false
  function zeroBits(bytes) {
    var n = 0
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) {
        n += 8
        continue
      }
      return n + Math.clz32(bytes[i]) - 24
    }
    return n
  }
  form.addEventListener('submit', function (event) {
    var nonceField = form.querySelector('input[name="powNonce"]')
    if (nonceField.value) return
    event.preventDefault()
    if (solving) return
    solving = true
    var challenge = form.querySelector('input[name="powChallenge"]').value
    var bits = Number(challenge.split('.')[0])
    var enc = new TextEncoder()
    if (status) status.textContent = '正在进行安全校验，请稍候……'
    var n = 0
    function step() {
      var batch = []
      for (var k = 0; k < 256; k++, n++)
        batch.push(
          crypto.subtle.digest('SHA-256', enc.encode(challenge + ':' + n)).then(
            (function (m) {
              return function (h) {
                return { n: m, h: new Uint8Array(h) }
              }
            })(n),
          ),
        )
      Promise.all(batch).then(function (results) {
        for (var i = 0; i < results.length; i++) {
          if (zeroBits(results[i].h) >= bits) {
            nonceField.value = String(results[i].n)
            if (status) status.textContent = '安全校验完成，正在提交……'
            form.submit()
            return
          }
        }
        step()
      })
    }
    step()
  })
})()
