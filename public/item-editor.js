/* global window, document */
// The rich-text editor of item bodies (issue #12; src/disclosures/item-editor.views.tsx). Puts a
// Quill editor in place of the body's textarea and, on every submit of its form (保存 and 预览
// alike), writes the editor's HTML back into that textarea, so the server receives the same `body`
// field and sanitises it by its allow-list as before. Without this script, or when Quill did not
// load, the textarea works as it always did. Pasting from Word goes through Quill's clipboard, which
// keeps only the formats below; the server's sanitiser cleans whatever is left.
;(function () {
  var textarea = document.querySelector('textarea[data-rich-editor]')
  var Quill = window.Quill
  if (!textarea || !Quill || !textarea.form) return
  var hint = document.getElementById('h-body')

  // Quill's table keeps neither header cells nor merged cells: such a body stays in the textarea.
  if (/<th\b|<thead\b|\b(colspan|rowspan)\s*=/i.test(textarea.value)) {
    if (hint) hint.textContent += '正文含有表头或合并单元格的表格，编辑器无法完整保留，请在此文本框中修改。'
    return
  }

  // Quill's own styles come before the site's, so that the site's Chinese labels override its English ones.
  var css = textarea.getAttribute('data-editor-style')
  var site = document.querySelector('link[rel="stylesheet"][href="/assets/site.css"]')
  if (css && !document.querySelector('link[href="' + css + '"]')) {
    var link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = css
    document.head.insertBefore(link, site)
  }

  var holder = document.createElement('div')
  holder.className = 'rich-editor'
  var area = document.createElement('div')
  holder.appendChild(area)
  textarea.parentNode.insertBefore(holder, textarea)

  var tableModule = function () {
    return quill.getModule('table')
  }
  var quill = new Quill(area, {
    theme: 'snow',
    formats: ['header', 'bold', 'italic', 'underline', 'list', 'blockquote', 'link', 'table'],
    modules: {
      table: true,
      toolbar: {
        container: [
          [{ header: [2, 3, 4, false] }],
          ['bold', 'italic', 'underline'],
          [{ list: 'ordered' }, { list: 'bullet' }],
          ['blockquote', 'link'],
          ['table-insert', 'table-row', 'table-column', 'table-delete-row', 'table-delete-column', 'table-delete'],
          ['clean'],
        ],
        handlers: {
          'table-insert': function () {
            tableModule().insertTable(3, 3)
          },
          'table-row': function () {
            tableModule().insertRowBelow()
          },
          'table-column': function () {
            tableModule().insertColumnRight()
          },
          'table-delete-row': function () {
            tableModule().deleteRow()
          },
          'table-delete-column': function () {
            tableModule().deleteColumn()
          },
          'table-delete': function () {
            tableModule().deleteTable()
          },
        },
      },
    },
  })

  // The body as stored: HTML, or plain text with a paragraph per line (rich-text.ts).
  var initial = textarea.value
  var delta = /<[a-zA-Z!/]/.test(initial)
    ? quill.clipboard.convert({ html: initial })
    : quill.clipboard.convert({ text: initial.replace(/\r\n/g, '\n') })
  quill.setContents(delta, 'silent')

  // Names in Chinese for the toolbar's controls, read by screen readers and shown on hover.
  var names = {
    'ql-bold': '加粗',
    'ql-italic': '倾斜',
    'ql-underline': '下划线',
    'ql-blockquote': '引用',
    'ql-link': '链接',
    'ql-clean': '清除格式',
    'ql-table-insert': '插入表格',
    'ql-table-row': '在下方插入行',
    'ql-table-column': '在右侧插入列',
    'ql-table-delete-row': '删除所在行',
    'ql-table-delete-column': '删除所在列',
    'ql-table-delete': '删除表格',
  }
  var texts = {
    'ql-table-insert': '表格',
    'ql-table-row': '+行',
    'ql-table-column': '+列',
    'ql-table-delete-row': '−行',
    'ql-table-delete-column': '−列',
    'ql-table-delete': '删除表格',
  }
  var toolbar = holder.querySelector('.ql-toolbar')
  toolbar.setAttribute('role', 'toolbar')
  toolbar.setAttribute('aria-label', '格式工具栏')
  Array.prototype.forEach.call(toolbar.querySelectorAll('button'), function (button) {
    var cls = Array.prototype.find.call(button.classList, function (c) {
      return names[c] !== undefined
    })
    var name = cls
      ? names[cls]
      : button.value === 'ordered'
        ? '编号列表'
        : button.value === 'bullet'
          ? '项目符号列表'
          : ''
    if (name) {
      button.setAttribute('aria-label', name)
      button.title = name
    }
    if (cls && texts[cls]) {
      button.textContent = texts[cls]
      button.classList.add('ql-text-button')
    }
  })
  var levels = { 2: '二级标题', 3: '三级标题', 4: '四级标题' }
  Array.prototype.forEach.call(toolbar.querySelectorAll('.ql-header .ql-picker-item'), function (item) {
    item.setAttribute('aria-label', levels[item.getAttribute('data-value')] || '普通段落')
  })
  var picker = toolbar.querySelector('.ql-header .ql-picker-label')
  if (picker) picker.setAttribute('aria-label', '段落样式')
  var linkInput = holder.querySelector('.ql-tooltip input')
  if (linkInput) {
    linkInput.setAttribute('aria-label', '链接地址')
    linkInput.setAttribute('data-link', 'https://')
  }

  // The editing area is the field the label names.
  var editor = quill.root
  editor.setAttribute('role', 'textbox')
  editor.setAttribute('aria-multiline', 'true')
  editor.setAttribute('aria-labelledby', 'l-body')
  var described = textarea.getAttribute('aria-describedby')
  if (described) editor.setAttribute('aria-describedby', described)
  if (textarea.getAttribute('aria-describedby') && document.getElementById('e-body')) {
    editor.setAttribute('aria-invalid', 'true')
  }

  textarea.hidden = true
  var label = document.getElementById('l-body')
  if (label) {
    label.removeAttribute('for')
    label.addEventListener('click', function () {
      quill.focus()
    })
  }
  if (hint && hint.getAttribute('data-editor-hint')) hint.textContent = hint.getAttribute('data-editor-hint')
  // The server's rendering of the saved body is superseded by the editor, which shows it as edited.
  var stale = textarea.parentNode.querySelector('.body-preview')
  if (stale) stale.remove()

  function bodyHtml() {
    var hasTable = !!quill.root.querySelector('table')
    if (!hasTable && quill.getText().trim() === '') return ''
    // Quill writes spaces as &nbsp; in its semantic HTML; the body keeps ordinary spaces.
    return quill.getSemanticHTML().replace(/&nbsp;/g, ' ')
  }
  textarea.form.addEventListener('submit', function () {
    textarea.value = bodyHtml()
  })
})()
