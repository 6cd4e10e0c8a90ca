/* global window, document */
// Long actions say that they are working (issue #12): publishing, uploads and imports, exports.
// A form marked data-busy="正在发布……" (or any file upload, or a form posting to …/publish) has its
// buttons disabled and the text shown beside them once it is submitted; an export link marked
// data-busy (or any CSV/XLSX export link) shows its text until the download has had time to start.
// Without this script every form and link works the same, only without the message.
;(function () {
  if (!document.addEventListener) return
  var uploadText = '正在上传并处理，请稍候……'

  function busyTextOfForm(form) {
    var text = form.getAttribute('data-busy')
    if (text) return text
    if ((form.getAttribute('enctype') || '').toLowerCase() === 'multipart/form-data') return uploadText
    if (/\/publish$/.test(form.getAttribute('action') || '')) return '正在发布，请稍候……'
    return null
  }

  function busyTextOfLink(a) {
    var text = a.getAttribute('data-busy')
    if (text) return text
    var href = a.getAttribute('href') || ''
    if (/[?&]format=(csv|xlsx)\b|\/export\b|\.(csv|xlsx)(\?|$)/.test(href)) return '正在生成导出文件，请稍候……'
    return null
  }

  function statusBeside(el) {
    var next = el.nextElementSibling
    if (next && next.className === 'busy-status') return next
    var status = document.createElement('span')
    status.className = 'busy-status'
    status.setAttribute('role', 'status')
    el.parentNode.insertBefore(status, el.nextSibling)
    return status
  }

  document.addEventListener('submit', function (event) {
    var form = event.target
    if (!form || form.tagName !== 'FORM' || event.defaultPrevented) return
    var text = busyTextOfForm(form)
    if (!text) return
    if (form.getAttribute('aria-busy') === 'true') {
      // Already sent: a second click would send it twice.
      event.preventDefault()
      return
    }
    form.setAttribute('aria-busy', 'true')
    var buttons = form.querySelectorAll('button, input[type="submit"]')
    var last = buttons.length ? buttons[buttons.length - 1] : form.lastElementChild
    if (last) statusBeside(last).textContent = text
    // Disabled after the browser has read the form, so the pressed button's name and value are still sent.
    window.setTimeout(function () {
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true
    }, 0)
  })

  document.addEventListener('click', function (event) {
    var a = event.target && event.target.closest ? event.target.closest('a[href]') : null
    if (!a || event.defaultPrevented) return
    var text = busyTextOfLink(a)
    if (!text) return
    var status = statusBeside(a)
    status.textContent = text
    a.setAttribute('aria-busy', 'true')
    window.setTimeout(function () {
      status.textContent = ''
      a.removeAttribute('aria-busy')
    }, 10000)
  })

  // Coming back to the page (the back button) shows it ready again.
  window.addEventListener('pageshow', function () {
    var forms = document.querySelectorAll('form[aria-busy="true"]')
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute('aria-busy')
      var buttons = forms[i].querySelectorAll('button, input[type="submit"]')
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false
    }
    var statuses = document.querySelectorAll('.busy-status')
    for (var k = 0; k < statuses.length; k++) statuses[k].textContent = ''
  })
})()
